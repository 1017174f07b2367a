// Finding 1 of issue 24: the key redaction could be bypassed. One character whose lower case is longer (U+0130 İ)
// made the redactor fall back to exact matching, so a hostile service echoing the key upper-cased, or its first
// characters, got them into the console, every report and a learned profile. Redaction now folds case one
// character at a time: no text takes another path.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { driftCommand } from "../../src/cli/drift.js";
import { writeAnswersProfile } from "../../src/conformance/drift/answers-profile.js";
import { createRedactor, holdsSecret } from "../../src/conformance/redact.js";
import { loadContract } from "../../src/contract/contract.js";
import { DEFAULT_FIXTURES_PATH } from "../../src/fake/state/load-fixtures.js";
import { conform } from "../support/conform-run.js";
import { DEFAULT_FOREIGN_KEY, type ForeignRequest } from "../support/foreign-deployment.js";
import { useFakeServers } from "../support/use-fake.js";
import { useForeignDeployments } from "../support/use-foreign.js";

const KEY = DEFAULT_FOREIGN_KEY;
/** What the hostile service adds to its messages: a letter that changes length when lower-cased, then the key twice. */
const ECHO = ` (key İ ${KEY.toUpperCase()} / ${KEY.slice(0, -2)})`;

/** Fails when any 8 characters of the key, in any letter case, are in the text. */
function expectNoKeyPiece(where: string, text: string): void {
  const folded = text.toLowerCase();
  for (let i = 0; i + 8 <= KEY.length; i++) {
    const piece = KEY.slice(i, i + 8).toLowerCase();
    expect(folded.includes(piece), `${where} holds "${piece}" of the key (in some letter case)`).toBe(false);
  }
}

describe("the redactor folds case with no fallback", () => {
  const redact = createRedactor([KEY]);

  it("drops the key upper-cased and its first characters next to an İ", () => {
    const out = redact(`Demographic fields are locked${ECHO}`);
    expectNoKeyPiece("the redacted text", out);
    expect(out).toBe("Demographic fields are locked (key İ <redacted> / <redacted>)");
  });

  it.each(["İ", "ß", "ŉ", "\u{10400}", "ﬃ", "K"])("keeps positions right around %s", (odd) => {
    const out = redact(`${odd}a${KEY.toUpperCase()}b${odd}${KEY.slice(3, 20)}c${odd}`);
    expect(out).toBe(`${odd}a<redacted>b${odd}<redacted>c${odd}`);
  });

  it("sees a key written with look-alike capitals that lower-case to it (Kelvin sign)", () => {
    expect(holdsSecret(`x ${KEY.replace(/k/g, "\u212a")} y`, KEY)).toBe(true);
  });

  it("is linear in the text: 2 MB of key-like text with İ in it", () => {
    const text = `İ${`${KEY.slice(0, 7)}-`.repeat(250_000)}`;
    const started = performance.now();
    expect(redact(text)).toBe(text); // no piece of 8 characters: nothing to redact
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe("a service that echoes the key upper-cased next to an İ", () => {
  const startForeign = useForeignDeployments();
  const startFake = useFakeServers();

  /** Answers every failure of the unknown-key and locked-name requests with the key echoed. */
  const echoing = (r: ForeignRequest, res: import("node:http").ServerResponse) => {
    const unknownKey =
      r.path.startsWith("/api/v1/users") &&
      r.method === "POST" &&
      r.headers["cv-api-key"] !== undefined &&
      r.headers["cv-api-key"] !== KEY &&
      r.headers["cv-api-key"] !== "";
    const locked = r.method === "POST" && r.body.includes("qa.locked") && r.body.includes('"firstName"');
    if (!unknownKey && !locked) return false;
    const [status, message] = unknownKey ? [401, `Unauthorized${ECHO}`] : [403, `Demographic fields are locked${ECHO}`];
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify({ status, success: false, message }));
    return true;
  };

  it("conform: nothing of the key on the console, in --json, --html or --junit; api_key_not_echoed fails", async () => {
    const foreign = await startForeign({ intercept: echoing });
    const run = await conform(foreign, ["--verbose", "--strict"]);
    expect(run.stdout).toContain("<redacted>");
    for (const [where, text] of Object.entries({ stdout: run.stdout, stderr: run.stderr, json: run.json, html: run.html, junit: run.junit }))
      expectNoKeyPiece(where, text);
    expect(run.json).toContain('"api_key_not_echoed"');
    const report = JSON.parse(run.json) as { results: { steps: { checks: { check: string; ok: boolean }[] }[] }[] };
    const echoChecks = report.results.flatMap((r) => r.steps.flatMap((s) => s.checks)).filter((c) => c.check === "api_key_not_echoed");
    expect(echoChecks.some((c) => !c.ok)).toBe(true);
  });

  it("drift --write-profile learns no answer holding the key", async () => {
    const foreign = await startForeign({ intercept: echoing });
    const fake = await startFake();
    const dir = mkdtempSync(join(tmpdir(), "cv-sec-redact-"));
    const target = join(dir, "b.yaml");
    const profile = join(dir, "profile.json");
    writeFileSync(target, stringify({ accounts: foreign.accounts, freePhoneNumber: foreign.freePhoneNumber }));
    const lines: string[] = [];
    const json = join(dir, "drift.json");
    const html = join(dir, "drift.html");
    await driftCommand(
      [
        "--a-base-url",
        fake.url,
        "--b-target",
        target,
        "--b-base-url",
        foreign.url,
        "--b-api-key",
        KEY,
        "--json",
        json,
        "--html",
        html,
        "--write-profile",
        profile,
      ],
      (l) => lines.push(l),
      (l) => lines.push(l),
    );
    const output = lines.join("\n");
    for (const [where, text] of Object.entries({
      output,
      json: readFileSync(json, "utf8"),
      html: readFileSync(html, "utf8"),
      profile: readFileSync(profile, "utf8"),
    }))
      expectNoKeyPiece(where, text);
    const { answers } = JSON.parse(readFileSync(profile, "utf8")) as { answers: Record<string, { message: string }> };
    expect(answers).not.toHaveProperty("unknownApiKey");
    expect(JSON.stringify(answers)).not.toContain("<redacted>");
    expect(output).toContain("left out unknownApiKey: B repeats the API key it was sent");
  });
});

describe("the profile writer", () => {
  it("refuses an answer holding a piece of the key, or a redaction mark, and writes nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "cv-sec-profile-"));
    const file = join(dir, "profile.json");
    const redact = createRedactor([KEY]);
    for (const message of [`Unauthorized ${KEY.slice(0, 10).toUpperCase()}`, "Unauthorized <redacted>"]) {
      const profile = { answers: { unknownApiKey: { status: 401 as const, message } }, leftOut: [] };
      expect(() => writeAnswersProfile(loadContract(), file, profile, DEFAULT_FIXTURES_PATH, undefined, redact)).toThrow(
        "holds the API key or a piece of it",
      );
      expect(() => readFileSync(file)).toThrow();
    }
  });
});
