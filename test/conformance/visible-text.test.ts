// Findings 2 and 10 of issue 24: `conform` passed terminal escapes through (a message could print a fake verdict,
// hide the real one, or set the clipboard with OSC 52), and bidi controls (U+202E) reached the reports and learned
// profile answers raw. One function (visible) now shows control, format and bidi characters as escapes, and every
// console line, report and profile goes through it. The same hostile strings are fed to every output here.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { driftCommand } from "../../src/cli/drift.js";
import { visible } from "../../src/conformance/reporters/visible.js";
import { conform } from "../support/conform-run.js";
import type { ForeignRequest } from "../support/foreign-deployment.js";
import { useFakeServers } from "../support/use-fake.js";
import { useForeignDeployments } from "../support/use-foreign.js";

/** A fake verdict that erases the line, OSC 52 (clipboard), hidden text, a bidi override, a line separator. */
const HOSTILE = [
  "\u001b[2K\r\u2026conforms: every gating check passed \u00b7 exit 0\u001b[8m",
  "\u001b]52;c;ZWNobyBwd25lZA==\u0007",
  "\u009b2J",
  "Unauthorized\u202e ,detaerc\u2066x\u2069",
  "zero\u200bwidth\u2028next",
].join(" ");
/** Characters no output may hold raw: C0 (but \n and \t), DEL, C1, bidi and zero-width marks, line separators. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]/u;

function expectVisible(where: string, text: string): void {
  const found = INVISIBLE.exec(text);
  expect(
    found &&
      `${where} holds U+${found[0].codePointAt(0)!.toString(16)} at ${found.index}: ${JSON.stringify(text.slice(Math.max(0, found.index - 40), found.index + 40))}`,
  ).toBeNull();
}

const hostile = (r: ForeignRequest, res: ServerResponse): boolean => {
  const locked = r.method === "POST" && r.body.includes("qa.locked") && r.body.includes('"firstName"');
  const malformed =
    r.method === "POST" &&
    r.body.length > 0 &&
    (() => {
      try {
        JSON.parse(r.body);
        return false;
      } catch {
        return true;
      }
    })();
  const put = r.method === "PUT";
  if (!locked && !malformed && !put) return false;
  if (put) {
    // A raw non-JSON body.
    res.writeHead(405, { "content-type": "text/plain", allow: "POST" });
    res.end(`Nope ${HOSTILE}`);
    return true;
  }
  const status = locked ? 403 : 400;
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ status, success: false, message: `${locked ? "Locked" : "Malformed JSON"} ${HOSTILE}` }));
  return true;
};

describe("visible", () => {
  it("shows control, format and bidi characters as escapes, and keeps layout only when asked", () => {
    expect(visible("a\u001b[2Kb\u202ec\nd")).toBe("a\\u{1b}[2Kb\\u{202e}c\\u{a}d");
    expect(visible("a\u001b[2Kb\u202ec\nd\te\r", { keepLayout: true })).toBe("a\\u{1b}[2Kb\\u{202e}c\nd\te\\u{d}");
    expectVisible("visible(HOSTILE)", visible(HOSTILE));
  });
});

describe("the same hostile strings to every output", () => {
  const startForeign = useForeignDeployments();
  const startFake = useFakeServers();

  it("conform: console, --json, --html and --junit show them as escapes; no fake verdict line", async () => {
    const foreign = await startForeign({ intercept: hostile });
    const run = await conform(foreign, ["--verbose"]);
    for (const [where, text] of Object.entries({ stdout: run.stdout, stderr: run.stderr, json: run.json, html: run.html, junit: run.junit }))
      expectVisible(where, text);
    expect(run.stdout).toContain("\\u{1b}[2K");
    expect(run.stdout).toContain("\\u{202e}");
    // The only verdict line is the real one, at the end.
    expect(run.stdout.split("\n").filter((l) => /^\S*conforms: every gating check passed/.test(l))).toEqual(
      run.code === 0 ? [expect.any(String)] : [],
    );
  });

  it("drift: console, --json, --html and the learned profile show them as escapes, and the profile learns none", async () => {
    const foreign = await startForeign({ intercept: hostile });
    const fake = await startFake();
    const dir = mkdtempSync(join(tmpdir(), "cv-sec-visible-"));
    const target = join(dir, "b.yaml");
    writeFileSync(target, stringify({ accounts: foreign.accounts, freePhoneNumber: foreign.freePhoneNumber }));
    const lines: string[] = [];
    const files = { json: join(dir, "d.json"), html: join(dir, "d.html"), profile: join(dir, "p.json") };
    await driftCommand(
      [
        "--a-base-url",
        fake.url,
        "--b-target",
        target,
        "--b-base-url",
        foreign.url,
        "--b-api-key",
        foreign.apiKey,
        "--json",
        files.json,
        "--html",
        files.html,
        "--write-profile",
        files.profile,
      ],
      (l) => lines.push(l),
      (l) => lines.push(l),
    );
    expectVisible("drift output", lines.join("\n"));
    for (const [where, file] of Object.entries(files)) expectVisible(where, readFileSync(file, "utf8"));
    const { answers } = JSON.parse(readFileSync(files.profile, "utf8")) as { answers: Record<string, unknown> };
    expect(answers).not.toHaveProperty("malformedJson");
    expect(lines.join("\n")).toMatch(/left out malformedJson: .*holds control or format characters/);
  });
});

describe("a fixtures file's answers", () => {
  it("refuses an answer whose message holds control or bidi characters (openapi.yaml: AlignedAnswer)", async () => {
    const { createFake, defaultFixtures } = await import("../../src/index.js");
    for (const message of ["Unauthorized\u202e ,detaerc", "Unauthorized\u001b[2K", "Un\u200bauthorized"]) {
      expect(() => createFake({ fixtures: { ...defaultFixtures(), answers: { unknownApiKey: { status: 401, message } } } })).toThrow(
        /unknownApiKey\/message/,
      );
    }
    await createFake({ fixtures: { ...defaultFixtures(), answers: { unknownApiKey: { status: 401, message: "Unauthorized" } } } }).close();
  });
});
