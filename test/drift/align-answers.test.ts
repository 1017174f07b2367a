// Aligning the fake with a deployment (issue 12, part 3): the fixtures' `answers` section sets the fake's status and
// wording where the vendor page is silent, never where it speaks; `drift --write-profile` writes that section from
// what a deployment answered; a fake restarted on it answers like the deployment, so a second drift finds no
// inferred difference left.
import { chmodSync, existsSync, lstatSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { driftCommand } from "../../src/cli/drift.js";
import { writeAnswersProfile } from "../../src/conformance/drift/answers-profile.js";
import { fitsTemplate } from "../../src/conformance/drift/compare-runs.js";
import { visible } from "../../src/conformance/reporters/visible.js";
import { loadContract } from "../../src/contract/contract.js";
import { DEFAULT_FIXTURES_PATH } from "../../src/fake/state/load-fixtures.js";
import type { DriftReport } from "../../src/conformance/drift/run-drift.js";
import { createFake, defaultFixtures, startFakeServer, type FakeServer } from "../../src/index.js";
import type { ForeignDeployment } from "../support/foreign-deployment.js";
import { json } from "../support/http.js";
import { spawnFake } from "../support/spawn-fake.js";
import { useFakeServers } from "../support/use-fake.js";
import { useForeignDeployments } from "../support/use-foreign.js";

const KEY = "cvk_test_clinic_a_4f1c2d9e";
const UPDATABLE = "john.doe@example.com";

function post(fake: { fetch: typeof fetch }, body: string, headers: Record<string, string> = {}, method = "POST") {
  return fake.fetch("http://fake/api/v1/users", {
    method,
    headers: { "content-type": "application/json", "cv-api-key": KEY, ...headers },
    ...(method === "GET" ? {} : { body }),
  });
}

const aligned = {
  missingApiKey: { status: 401, message: "Missing API key" },
  unknownApiKey: { status: 401, message: "Unauthorized" },
  malformedJson: { status: 400, message: "Malformed JSON" },
  invalidRequestBody: { status: 422, message: "Validation error: {detail}" },
  methodNotAllowed: { status: 404, message: "Cannot {method} {path}" },
  unsupportedMediaType: { status: 415, message: "Unsupported content type {received}" },
  payloadTooLarge: { status: 413, message: "Payload over {limit} bytes" },
} as const;

describe("the fixtures' answers section", () => {
  it("sets status and wording of every inferred answer, with its placeholders filled", async () => {
    const fake = createFake({ fixtures: { ...defaultFixtures(), answers: aligned }, bodyLimit: 1000 });
    const seen = async (response: Response) => [response.status, ((await json(response)) as { message: string }).message];
    expect(await seen(await post(fake, "{}", { "cv-api-key": "" }))).toEqual([401, "Missing API key"]);
    expect(await seen(await post(fake, "{}", { "cv-api-key": "nope" }))).toEqual([401, "Unauthorized"]);
    expect(await seen(await post(fake, "{"))).toEqual([400, "Malformed JSON"]);
    expect(await seen(await post(fake, JSON.stringify({ action: "UPDATE_PROFILE", data: { email: UPDATABLE, dob: "1995-02-30" } })))).toEqual([
      422,
      expect.stringMatching(/^Validation error: data\.dob /),
    ]);
    // GET is the search (the vendor's search users page): another method is refused.
    expect(await seen(await post(fake, "", {}, "DELETE"))).toEqual([404, "Cannot DELETE /api/v1/users"]);
    expect(await seen(await post(fake, "{}", { "content-type": "text/plain" }))).toEqual([415, "Unsupported content type text/plain"]);
    expect(await seen(await post(fake, "x".repeat(2000)))).toEqual([413, "Payload over 1000 bytes"]);
    await fake.close();
  });

  it("sends Allow only with a 405, as RFC 9110 asks", async () => {
    const plain = createFake();
    const asDeployment = createFake({ fixtures: { ...defaultFixtures(), answers: { methodNotAllowed: aligned.methodNotAllowed } } });
    const [a, b] = [await post(plain, "", {}, "PUT"), await post(asDeployment, "", {}, "PUT")];
    expect([a.status, a.headers.get("allow")]).toEqual([405, "GET, POST"]);
    expect([b.status, b.headers.get("allow")]).toEqual([404, null]);
  });

  it("never changes the documented answers, which stay the page's", async () => {
    const fake = createFake({ fixtures: { ...defaultFixtures(), answers: aligned } });
    const missing = await post(fake, JSON.stringify({ action: "UPDATE_PROFILE", data: { email: "nobody@example.com" } }));
    expect(await json(missing)).toEqual({ status: 400, success: false, message: "User nobody@example.com does not exist" });
    const ok = await post(fake, JSON.stringify({ action: "UPDATE_PROFILE", data: { email: UPDATABLE, city: "Boston" } }));
    expect(((await json(ok)) as { message: string }).message).toBe("Profile updated successfully");
    expect(() =>
      createFake({ fixtures: { ...defaultFixtures(), answers: { userDoesNotExist: { status: 404, message: "No such user" } } as never } }),
    ).toThrow('/answers: must not have the property "userDoesNotExist"');
  });

  it("refuses, naming the field and what to do, a placeholder the fake cannot fill, a status it may not give, an empty message", () => {
    const start = (answers: unknown) => () => createFake({ fixtures: { ...defaultFixtures(), answers } as never });
    expect(start({ missingApiKey: { status: 401, message: "No key for {email}" } })).toThrow(
      "/answers/missingApiKey/message: uses {email}, which the fake cannot fill in this answer (it may use none)",
    );
    expect(start({ malformedJson: { status: 400, message: "Bad JSON at {where}" } })).toThrow("(it may use {detail})");
    expect(start({ unknownApiKey: { status: 500, message: "Oops" } })).toThrow(
      "/answers/unknownApiKey/status: must be one of 400, 401, 403, 404, 405, 413, 415, 422",
    );
    expect(start({ unknownApiKey: { status: 401, message: "" } })).toThrow(/\/answers\/unknownApiKey\/message/);
  });

  it("never answers an empty message, even for an empty Content-Type under a message of placeholders only", async () => {
    const fake = createFake({ fixtures: { ...defaultFixtures(), answers: { unsupportedMediaType: { status: 415, message: "{received}" } } } });
    const answered = await post(fake, "{}", { "content-type": "" });
    expect([answered.status, ((await json(answered)) as { message: string }).message]).toEqual([415, "none"]);
  });

  it("is frozen where a test can read it, and refuses to persist its state into the fixtures file", () => {
    const fake = createFake({ fixtures: { ...defaultFixtures(), answers: { unknownApiKey: aligned.unknownApiKey } } });
    expect(() => ((fake.answers.unknownApiKey as { message: string }).message = "changed")).toThrow(TypeError);
    const dir = mkdtempSync(join(tmpdir(), "cv-align-"));
    const file = join(dir, "fixtures.json");
    writeFileSync(file, JSON.stringify({ ...defaultFixtures(), answers: { unknownApiKey: aligned.unknownApiKey } }));
    expect(() => createFake({ fixtures: file, persist: file })).toThrow("The state file must not be the fixtures file");
    expect(JSON.parse(readFileSync(file, "utf8"))).toHaveProperty("answers.unknownApiKey");
  });

  it("takes for each answer only the statuses a service plausibly gives for it (405 for another method only)", () => {
    const start = (answers: unknown) => () => createFake({ fixtures: { ...defaultFixtures(), answers } as never });
    expect(start({ missingApiKey: { status: 405, message: "No key" } })).toThrow("/answers/missingApiKey/status: must be one of 400, 401, 403");
    expect(start({ payloadTooLarge: { status: 415, message: "Too big" } })).toThrow("/answers/payloadTooLarge/status: must be one of 400, 413");
  });

  it("is configuration, not state: a reset keeps it; state(), the admin API and the state file do not hold it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cv-align-"));
    const fixtures = join(dir, "fixtures.json");
    writeFileSync(fixtures, JSON.stringify({ ...defaultFixtures(), answers: { unknownApiKey: aligned.unknownApiKey } }));
    const server = await startFakeServer({ fixtures, persist: join(dir, "state.json") });
    try {
      const unknown = () =>
        fetch(`${server.url}/api/v1/users`, { method: "POST", headers: { "content-type": "application/json", "cv-api-key": "nope" }, body: "{}" });
      expect((await unknown()).status).toBe(401);
      expect(
        (await fetch(`${server.url}/__admin/reset`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status,
      ).toBe(200);
      expect((await unknown()).status).toBe(401);
      expect(server.state()).not.toHaveProperty("answers");
      expect(await json(await fetch(`${server.url}/__admin/db`))).not.toHaveProperty("answers");
      expect(JSON.parse(readFileSync(join(dir, "state.json"), "utf8"))).not.toHaveProperty("answers");
    } finally {
      await server.close();
    }
  });
});

it("serve says, before anything else is tried, which answers the fixtures set", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cv-align-"));
  const fixtures = join(dir, "fixtures.json");
  writeFileSync(
    fixtures,
    JSON.stringify({ ...defaultFixtures(), answers: { unknownApiKey: aligned.unknownApiKey, methodNotAllowed: aligned.methodNotAllowed } }),
  );
  const child = await spawnFake(["--fixtures", fixtures]);
  try {
    await new Promise((r) => setTimeout(r, 100)); // the banner is written in one go, after the listening line
    const output = child.output();
    expect(output).toContain(`Answers set by the fixtures' answers section, where the vendor page is silent:
  unknownApiKey         401 "Unauthorized"
  methodNotAllowed      404 "Cannot {method} {path}"
`);
    expect(output.indexOf("Answers set")).toBeLessThan(output.indexOf("Try it:"));
  } finally {
    await child.kill();
  }
});

describe("drift --write-profile, then the fake restarted on the profile", () => {
  let foreign: ForeignDeployment;
  let fake: FakeServer;
  const startForeign = useForeignDeployments();
  const startFake = useFakeServers();

  let runs = 0;
  async function drift(dir: string, args: string[]) {
    const target = join(dir, "staging.yaml");
    writeFileSync(target, stringify({ accounts: foreign.accounts, freePhoneNumber: foreign.freePhoneNumber }));
    const lines: string[] = [];
    const report = join(dir, `drift-${++runs}.json`);
    const code = await driftCommand(
      [
        "--a-base-url",
        fake.url,
        "--b-target",
        target,
        "--b-base-url",
        foreign.url,
        "--b-api-key",
        foreign.apiKey,
        "--b-name",
        "staging",
        "--json",
        report,
        ...args,
      ],
      (l) => lines.push(l),
      (l) => lines.push(l),
    );
    // No report when drift refuses to start (exit 2 before either side runs).
    return { code, output: lines.join("\n"), report: (existsSync(report) ? JSON.parse(readFileSync(report, "utf8")) : undefined) as DriftReport };
  }
  const inferred = (report: DriftReport) =>
    report.comparison.differences.filter((d) => d.kind !== "allowed" && d.tier === "inferred").map((d) => d.what);

  it("leaves no inferred difference on the second drift, and changes nothing on either side", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cv-align-"));
    const profile = join(dir, "staging-fixtures.json");
    foreign = await startForeign();
    fake = await startFake();

    const first = await drift(dir, ["--write-profile", profile]);
    expect(first.code, first.output).toBe(0);
    expect(inferred(first.report)).toHaveLength(12); // 5 of behaviour, 7 of wording: test/drift/drift.test.ts lists them
    expect(first.output).toContain(`Start the fake with it: cv-contract-kit serve --fixtures ${profile}`);
    expect(first.output).not.toContain(foreign.apiKey);
    const written = JSON.parse(readFileSync(profile, "utf8")) as { answers: Record<string, { status: number; message: string }>; users: unknown[] };
    expect(written.answers).toEqual({
      invalidRequestBody: { status: 400, message: "Validation error: {detail}" },
      malformedJson: { status: 400, message: "Malformed JSON" },
      methodNotAllowed: { status: 404, message: "Cannot {method} {path}" },
      missingApiKey: { status: 400, message: "Missing API key" },
      payloadTooLarge: { status: 413, message: "Payload too large" },
      unknownApiKey: { status: 401, message: "Unauthorized" },
      unsupportedMediaType: { status: 415, message: "Unsupported content type" },
    });
    expect(written.users).toEqual(defaultFixtures().users); // a new file starts from the built-in fixtures

    await fake.close();
    fake = await startFake({ fixtures: profile });
    const before = { fake: fake.state(), foreign: foreign.profiles() };
    const second = await drift(dir, []);
    expect(second.code, second.output).toBe(0);
    expect(inferred(second.report)).toEqual([]);
    expect(second.report.counts).toMatchObject({ documented: 0, inferredBehaviour: 0, inferredWording: 0 });
    expect(fake.state()).toEqual(before.fake);
    expect(foreign.profiles()).toEqual(before.foreign);
  });

  it("takes a parser's words as detail, and leaves out, saying why, two statuses for one answer and an echoed key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cv-align-"));
    const profile = join(dir, "profile.json");
    foreign = await startForeign({ quirks: ["parserInMessages", "keyStatusSplit", "echoesUnknownKey"] });
    fake = await startFake();
    const first = await drift(dir, ["--write-profile", profile]);
    expect(first.code, first.output).toBe(0);
    const { answers } = JSON.parse(readFileSync(profile, "utf8")) as { answers: Record<string, { status: number; message: string }> };
    expect(answers.malformedJson).toEqual({ status: 400, message: "Malformed JSON: {detail}" });
    expect(answers).not.toHaveProperty("missingApiKey");
    expect(answers).not.toHaveProperty("unknownApiKey");
    expect(first.output).toContain("left out missingApiKey: B answers it with 400 or 401, depending on the request");
    expect(first.output).toContain("left out unknownApiKey: B repeats the API key it was sent; the fake never echoes a key");

    await fake.close();
    fake = await startFake({ fixtures: profile });
    const second = await drift(dir, []);
    expect(second.report.comparison.wording.find((w) => w.name === "malformedJson")?.same).toBe(true);
  });

  it("writes nothing when a side could not run, and keeps the answers a partial run did not see", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cv-align-"));
    const profile = join(dir, "profile.json");
    const before = JSON.stringify({ ...defaultFixtures(), answers: aligned }, null, 2);
    writeFileSync(profile, before);
    foreign = await startForeign();
    fake = await startFake();
    const down = await driftCommand(
      ["--a-base-url", "http://127.0.0.1:9", "--b-target", join(dir, "none.yaml"), "--write-profile", profile],
      () => {},
      () => {},
    ); // no target file for B: refused before anything runs
    expect(down).toBe(2);
    const aDown = await drift(dir, ["--a-base-url", "http://127.0.0.1:9", "--write-profile", profile]);
    expect(aDown.code).toBe(2);
    expect(readFileSync(profile, "utf8")).toBe(before);

    const partial = await drift(dir, ["--write-profile", profile, "--only", "api-key-unknown"]);
    expect(partial.code, partial.output).toBe(0);
    expect(partial.output).toContain(
      "kept from the file (not seen in this run): missingApiKey, malformedJson, invalidRequestBody, methodNotAllowed, unsupportedMediaType, payloadTooLarge",
    );
    const { answers } = JSON.parse(readFileSync(profile, "utf8")) as { answers: Record<string, unknown> };
    expect(answers).toEqual({ ...aligned, unknownApiKey: { status: 401, message: "Unauthorized" } });
  });

  it("writes through a link to the file it names (one not there yet too) and keeps the file's mode", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cv-align-"));
    const real = join(dir, "real.json");
    const link = join(dir, "link.json");
    writeFileSync(real, JSON.stringify(defaultFixtures()));
    chmodSync(real, 0o600);
    symlinkSync(real, link);
    const dangling = join(dir, "dangling.json");
    symlinkSync("not-yet.json", dangling);
    foreign = await startForeign();
    fake = await startFake();
    for (const file of [link, dangling]) {
      const written = await drift(dir, ["--write-profile", file, "--only", "api-key-unknown"]);
      expect(written.code, written.output).toBe(0);
      expect(lstatSync(file).isSymbolicLink()).toBe(true);
    }
    expect(JSON.parse(readFileSync(real, "utf8"))).toHaveProperty("answers.unknownApiKey.status", 401);
    expect(statSync(real).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, "not-yet.json"), "utf8"))).toHaveProperty("answers.unknownApiKey.status", 401);
  });

  it("never writes through something planted where its temp file goes: the temp file is created exclusively", () => {
    const dir = mkdtempSync(join(tmpdir(), "cv-align-"));
    const file = join(dir, "profile.json");
    const victim = join(dir, "victim.txt");
    writeFileSync(victim, "untouched");
    symlinkSync(victim, `${file}.planted.tmp`);
    const profile = { answers: { unknownApiKey: { status: 401 as const, message: "Unauthorized" } }, leftOut: [] };
    expect(() => writeAnswersProfile(loadContract(), file, profile, DEFAULT_FIXTURES_PATH, (target) => `${target}.planted.tmp`)).toThrow(
      `could not write ${file} (EEXIST)`,
    );
    expect(readFileSync(victim, "utf8")).toBe("untouched");
    expect(existsSync(file)).toBe(false);
  });

  it("drops an answer of the file that B now gives in a way the fake cannot copy, and says so", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cv-align-"));
    const profile = join(dir, "profile.json");
    writeFileSync(
      profile,
      JSON.stringify({
        ...defaultFixtures(),
        answers: { missingApiKey: { status: 403, message: "Stale" }, payloadTooLarge: aligned.payloadTooLarge },
      }),
    );
    foreign = await startForeign({ quirks: ["keyStatusSplit"] });
    fake = await startFake();
    const run = await drift(dir, ["--write-profile", profile, "--only", "api-key-missing,api-key-empty"]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain("left out missingApiKey: B answers it with 400 or 401");
    expect(run.output).toContain("removed from the file (B no longer answers them in a way the fake can copy): missingApiKey");
    expect(run.output).toContain("kept from the file (not seen in this run): payloadTooLarge");
    const { answers } = JSON.parse(readFileSync(profile, "utf8")) as { answers: Record<string, unknown> };
    expect(answers).toEqual({ payloadTooLarge: aligned.payloadTooLarge });
  });

  it("keeps the rest of an existing fixtures file, and leaves a file that is not one as it was (exit 2)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cv-align-"));
    foreign = await startForeign();
    fake = await startFake();
    const mine = join(dir, "mine.json");
    const fixtures = defaultFixtures();
    fixtures.organizations.push({ id: "org-mine", name: "Mine" });
    writeFileSync(mine, JSON.stringify(fixtures));
    const kept = await drift(dir, ["--write-profile", mine, "--only", "api-key-unknown"]);
    expect(kept.code, kept.output).toBe(0);
    const written = JSON.parse(readFileSync(mine, "utf8")) as typeof fixtures & { answers: unknown };
    expect(written.organizations.at(-1)).toEqual({ id: "org-mine", name: "Mine" });
    expect(written.answers).toEqual({ unknownApiKey: { status: 401, message: "Unauthorized" } });

    const nested = join(dir, "profiles", "staging", "fixtures.json"); // folders made as --html makes them
    expect((await drift(dir, ["--write-profile", nested, "--only", "api-key-unknown"])).code).toBe(0);
    expect(JSON.parse(readFileSync(nested, "utf8"))).toHaveProperty("answers.unknownApiKey.status", 401);

    const broken = join(dir, "broken.json");
    writeFileSync(broken, '{"users": 3}');
    const refused = await drift(dir, ["--write-profile", broken, "--only", "api-key-unknown"]);
    expect(refused.code).toBe(2);
    expect(refused.output).toMatch(/--write-profile: .*broken\.json is not a valid fixtures file, so it was left as it is/);
    expect(refused.output).not.toContain("running"); // known before either side runs
    expect(readFileSync(broken, "utf8")).toBe('{"users": 3}');
    expect(existsSync(`${broken}.${process.pid}.tmp`)).toBe(false);
  });
});

describe("drift's classification of a message by a service's wording", () => {
  it("does not try a template full of placeholders (a service's own braces): no exponential matching", () => {
    const template = `Bad ${"{detail}".repeat(12)}!`;
    expect(fitsTemplate(template, `Bad ${"x".repeat(36)}?`, {})).toBe(false); // without the bound: minutes
    expect(fitsTemplate("Malformed JSON: {detail}", "Malformed JSON: Unexpected token", {})).toBe(true);
  });

  it("does not let a template with no words of its own ({detail} alone) claim every message", () => {
    expect(fitsTemplate("{detail}", "Cannot DELETE /api/v1/users", {})).toBe(false);
    expect(fitsTemplate("{detail}.", "Anything at all.", {})).toBe(false);
  });

  it("shows a deployment's control and bidirectional characters as escapes on a terminal line", () => {
    expect(visible("Unauthorized\u202e ,detaerc\u009b[2J\u061c")).toBe("Unauthorized\\u{202e} ,detaerc\\u{9b}[2J\\u{61c}");
  });
});
