// The conformance suite proves the fake, and the fake proves the suite: it passes against the fake, and fails,
// naming the right scenarios, against targets that break the rules (prism's stateless mock, the fake with a rule off).
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conformCommand, DEFAULT_TARGET_FILE } from "../../src/cli/conform.js";
import {
  loadScenarios,
  loadTarget,
  runConformance,
  startFakeServer,
  DEFAULT_SCENARIOS_DIR,
  type ConformanceSummary,
  type FakeServer,
  type RuleName,
} from "../../src/index.js";
import { freePort, startPrism } from "../support/prism.js";
import { checkedReport } from "../support/report-schema.js";

const target = loadTarget(DEFAULT_TARGET_FILE);
const apiKey = target.apiKey!;
const scenarios = loadScenarios(DEFAULT_SCENARIOS_DIR);

const ids = (summary: ConformanceSummary, status: string) =>
  summary.results
    .filter((r) => r.status === status)
    .map((r) => r.id)
    .sort();

describe("against the fake on its default fixtures", () => {
  let fake: FakeServer;
  beforeAll(async () => {
    fake = await startFakeServer();
  });
  afterAll(() => fake.close());

  it("passes every scenario, documented and inferred, even under --strict", async () => {
    const summary = await runConformance({ baseUrl: fake.url, apiKey, target, strict: true });
    const notPassed = summary.results.filter((r) => r.status !== "passed");
    expect(
      notPassed.map((r) => `${r.id}: ${r.status} ${r.reason ?? ""} ${JSON.stringify(r.steps.flatMap((s) => s.checks.filter((c) => !c.ok)))}`),
    ).toEqual([]);
    expect(summary.results).toHaveLength(scenarios.length);
    expect(summary.exitCode).toBe(0);
  });

  it("covers each documented failure, each locked field, the atomicity, and success", () => {
    const documented = scenarios.filter((s) => s.tier === "documented").map((s) => s.id);
    expect(documented).toEqual(
      expect.arrayContaining([
        "success-full-update",
        "success-partial-update",
        "user-does-not-exist",
        "user-not-in-organization",
        "not-allowed-staff",
        "lock-first-name",
        "lock-last-name",
        "lock-dob",
        "lock-gender",
        "lock-atomic",
        "phone-in-use",
        "phone-own-number",
      ]),
    );
  });

  it("leaves the fake's state as it found it (every change restored)", async () => {
    const before = await (await fetch(`${fake.url}/__admin/db`)).json();
    await runConformance({ baseUrl: fake.url, apiKey, target });
    expect(await (await fetch(`${fake.url}/__admin/db`)).json()).toEqual(before);
  });

  it("under --read-only skips the scenarios that change a profile, saying why", async () => {
    const summary = await runConformance({ baseUrl: fake.url, apiKey, target, readOnly: true });
    const skipped = summary.results.filter((r) => r.status === "skipped");
    expect(skipped.map((r) => r.id)).toEqual(expect.arrayContaining(["success-full-update", "success-partial-update"]));
    expect(skipped.every((r) => r.reason?.includes("--read-only"))).toBe(true);
    expect(scenarios.filter((s) => s.changesProfile).length).toBe(skipped.length);
  });

  it("refuses to say conforms when a documented scenario lacks its account, unless --allow-skip names it", async () => {
    const { lockedUser: _, ...accounts } = target.accounts;
    const blocked = await runConformance({ baseUrl: fake.url, apiKey, target: { ...target, accounts } });
    expect(blocked.exitCode).toBe(2);
    expect(blocked.fatal).toContain(
      "Documented scenario lock-atomic cannot run: the target file names no accounts.lockedUser. Add it to the target file, or pass --allow-skip lock-atomic",
    );
    expect(blocked.results.every((r) => r.status === "skipped")).toBe(true); // nothing was sent

    const allowed = await runConformance({ baseUrl: fake.url, apiKey, target: { ...target, accounts }, allowSkip: ["lock"] });
    expect(allowed.results.find((r) => r.id === "lock-first-name")).toMatchObject({
      status: "skipped",
      skipKind: "unavailable",
      reason: "the target file names no accounts.lockedUser",
    });
    expect(allowed.exitCode).toBe(0);
  });

  it("never sends a field that is empty on the target: it could not be cleared again", async () => {
    // carla has no address: once stored, this endpoint could not clear it again.
    const [scenario] = loadScenarios(DEFAULT_SCENARIOS_DIR).filter((s) => s.id === "open-abandoned-do-not-lock");
    const setsAddress = {
      ...scenario!,
      id: "sets-address",
      steps: [{ send: { data: { email: "{{accounts.unlockedCaseUser.email}}", address: "1 New St" } }, expect: { status: 200 } }],
    };
    const before = fake.state();
    const summary = await runConformance({ baseUrl: fake.url, apiKey, target, scenarios: [setsAddress] });
    expect(summary.results[0]).toMatchObject({ status: "skipped", skipKind: "unavailable" });
    expect(summary.results[0]!.reason).toContain(
      "address: on accounts.unlockedCaseUser, address is empty: a value this endpoint could not take back",
    );
    expect(fake.state()).toEqual(before);
  });
});

describe("against the fake with one rule switched off", () => {
  it.each<[RuleName, string[]]>([
    ["demographicLock", ["lock-atomic", "lock-dob", "lock-first-name", "lock-gender", "lock-last-name"]],
    ["phoneUniqueness", ["phone-in-use", "phone-in-use-other-organization"]],
    ["roleCheck", ["not-allowed-staff"]],
    ["organizationScope", ["user-not-in-organization"]],
  ])("with %s off, fails exactly the scenarios of that rule", async (rule, expected) => {
    const fake = await startFakeServer({ disableRules: [rule] });
    try {
      const summary = await runConformance({ baseUrl: fake.url, apiKey, target });
      expect(ids(summary, "failed")).toEqual(expected);
      expect(summary.exitCode).toBe(1);
    } finally {
      await fake.close();
    }
  });
});

describe("against prism mock openapi.yaml (stateless)", () => {
  let prism: Awaited<ReturnType<typeof startPrism>>;
  beforeAll(async () => {
    prism = await startPrism();
  }, 30_000);
  afterAll(() => prism?.stop());

  it("is stopped by the preflight: it answers the page's example user for every account (phone +15513446634)", async () => {
    const summary = await runConformance({ baseUrl: prism.url, apiKey, target });
    expect(summary.exitCode).toBe(2);
    expect(summary.fatal).toBe(
      `accounts.phoneOwner.phoneNumber in ${DEFAULT_TARGET_FILE} is +15550000006, but the target has "+15513446634" for fay.phone@clinic-a.test: fix the target file.`,
    );
  });

  it("fails the stateful scenarios and exits 1 once the phone owner is left out", async () => {
    const { phoneOwner: _, ...accounts } = target.accounts;
    const summary = await runConformance({ baseUrl: prism.url, apiKey, target: { ...target, accounts }, allowSkip: ["phone"] });
    expect(ids(summary, "failed")).toEqual(
      expect.arrayContaining([
        "lock-atomic",
        "lock-first-name",
        "not-allowed-staff",
        "success-full-update",
        "success-partial-update",
        "user-does-not-exist",
        "user-not-in-organization",
      ]),
    );
    expect(summary.exitCode).toBe(1);
  });
});

describe("the conform command", () => {
  let fake: FakeServer;
  beforeAll(async () => {
    fake = await startFakeServer();
  });
  afterAll(() => fake.close());

  const run = async (...argv: string[]) => {
    const lines: string[] = [];
    const code = await conformCommand(argv, (line) => lines.push(line));
    return { code, output: lines.join("\n") };
  };

  it("exits 0 against the fake, writes JUnit and JSON reports, and never prints the key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cv-conform-"));
    const { code, output } = await run("--base-url", fake.url, "--junit", join(dir, "c.xml"), "--json", join(dir, "c.json"));
    expect(code).toBe(0);
    expect(output).toMatch(/Documented behaviour: \d+ passed, 0 failed/);
    const xml = readFileSync(join(dir, "c.xml"), "utf8");
    expect(xml).toMatch(/<testsuites tests="\d+" failures="0" errors="0"/);
    const json = checkedReport(readFileSync(join(dir, "c.json"), "utf8"));
    expect(json.exitCode).toBe(0);
    for (const text of [output, xml, JSON.stringify(json)]) expect(text).not.toContain(apiKey);
    // An all-pass run keeps no exchange (nothing failed or warned), only each step's checks and curl line.
    const steps = json.results.flatMap((r) => r.steps);
    expect(json.exchanges).toBe("failuresAndWarnings");
    expect(steps.length).toBeGreaterThan(50);
    expect(steps.filter((s) => s.exchange !== undefined)).toEqual([]);
    expect(steps.every((s) => s.curl.startsWith("curl "))).toBe(true);
    expect(steps.filter((s) => s.kind === "send").every((s) => s.checks.length > 0)).toBe(true);
  });

  it("keeps the exchanges of the scenarios that fail or warn, and with --verbose every exchange", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cv-conform-"));
    const broken = await startFakeServer({ disableRules: ["phoneUniqueness"] });
    try {
      expect((await run("--base-url", broken.url, "--only", "phone,success", "--json", join(dir, "b.json"))).code).toBe(1);
      const report = checkedReport(readFileSync(join(dir, "b.json"), "utf8"));
      const kept = (status: string) =>
        report.results
          .filter((r) => r.status === status)
          .flatMap((r) => r.steps)
          .map((s) => s.exchange !== undefined);
      expect(kept("failed").length).toBeGreaterThan(0);
      expect(kept("failed").every(Boolean)).toBe(true);
      expect(kept("passed").length).toBeGreaterThan(0);
      expect(kept("passed").some(Boolean)).toBe(false);

      expect((await run("--base-url", fake.url, "--only", "success", "--verbose", "--json", join(dir, "v.json"))).code).toBe(0);
      const verbose = checkedReport(readFileSync(join(dir, "v.json"), "utf8"));
      expect(verbose.exchanges).toBe("all");
      const steps = verbose.results.flatMap((r) => r.steps);
      expect(steps.length).toBeGreaterThan(0);
      expect(steps.every((s) => s.exchange?.response?.status !== undefined)).toBe(true);
    } finally {
      await broken.close();
    }
  });

  it("exits 1 and prints Received/Documented and a curl line when a rule is broken", async () => {
    const broken = await startFakeServer({ disableRules: ["phoneUniqueness"] });
    try {
      const { code, output } = await run("--base-url", broken.url, "--only", "phone");
      expect(code).toBe(1);
      expect(output).toContain("✗ phone-in-use");
      expect(output).toMatch(/Received: 200 .*\n\s+Documented: 400/);
      expect(output).toContain(`Reproduce with: curl -i -X POST '${broken.url}/api/v1/users' -H "cv-api-key: $CV_API_KEY"`);
      expect(output).not.toContain(apiKey);
    } finally {
      await broken.close();
    }
  });

  it("exits 2 with a clear message when the target is unreachable", async () => {
    const port = await freePort();
    const { code, output } = await run("--base-url", `http://127.0.0.1:${port}`);
    expect(code).toBe(2);
    expect(output).toMatch(
      /• The target cannot be reached: could not get an answer from http:\/\/127\.0\.0\.1:\d+\/api\/v1\/users: connection refused: nothing listens there \(ECONNREFUSED\)\. Check --base-url/,
    );
  });

  it("exits 2 on a bad target file", async () => {
    expect((await run("--target", "/nonexistent/target.yaml")).code).toBe(2);
  });

  it("lists what would run under --dry-run, sending nothing", async () => {
    const { code, output } = await run("--dry-run", "--only", "lock", "--read-only");
    expect(code).toBe(0);
    expect(output).toMatch(/Would run 6 scenarios/); // lock-atomic, the four locked fields, dob as a date-time
    expect(output).toContain("success-full-update: not selected by --only lock");
  });
});
