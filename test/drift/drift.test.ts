// `drift` between the fake and a deployment that words things its own way (test/support/foreign-deployment.ts):
// it must list exactly the differences that deployment has where the page is silent, and no others; a broken
// documented rule is a documented difference (exit 1); and every safety rule of the suite holds on both sides.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { driftCommand } from "../../src/cli/drift.js";
import type { DriftReport } from "../../src/conformance/drift/run-drift.js";
import type { FakeServer } from "../../src/index.js";
import type { ForeignDeployment, ForeignOptions } from "../support/foreign-deployment.js";
import { useFakeServers } from "../support/use-fake.js";
import { useForeignDeployments } from "../support/use-foreign.js";

let foreign: ForeignDeployment | undefined;
let fake: FakeServer | undefined;
const startForeign = useForeignDeployments();
const startFake = useFakeServers();

async function drift(options: ForeignOptions = {}, args: string[] = []) {
  foreign = await startForeign(options);
  fake = await startFake();
  const dir = mkdtempSync(join(tmpdir(), "cv-drift-"));
  const target = join(dir, "staging.yaml");
  writeFileSync(target, stringify({ accounts: foreign.accounts, freePhoneNumber: foreign.freePhoneNumber }));
  const lines: string[] = [];
  const before = { fake: fake.state(), foreign: foreign.profiles() };
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
      join(dir, "drift.json"),
      ...args,
    ],
    (l) => lines.push(l),
    (l) => lines.push(l),
  );
  const report = JSON.parse(readFileSync(join(dir, "drift.json"), "utf8")) as DriftReport;
  return { code, output: lines.join("\n"), report, before, dir };
}

const counted = (report: DriftReport) =>
  report.comparison.differences
    .filter((d) => d.kind !== "allowed")
    .map((d) => `${d.tier} ${d.kind} ${d.scenario}${d.step !== undefined ? `#${d.step}` : ""} ${d.aspect}: ${d.a} | ${d.b}`)
    .sort();

/** The behaviour the foreign deployment differs in from the fake (its wording aside): all of it inferred. */
const PLANTED_BEHAVIOUR = [
  "inferred behaviour api-key-unknown#0 status: 400 | 401",
  "inferred behaviour method-delete#0 header: GET, POST | (none)",
  "inferred behaviour method-delete#0 status: 405 | 404",
  "inferred behaviour method-put#0 header: GET, POST | (none)",
  "inferred behaviour method-put#0 status: 405 | 404",
];

describe("drift between the fake and a deployment with its own wording", () => {
  it("lists exactly the planted differences, none documented (exit 0), and leaves both sides as they were", async () => {
    const { code, output, report, before } = await drift();
    expect(code, output).toBe(0);
    expect(counted(report).filter((d) => !d.startsWith("inferred wording"))).toEqual(PLANTED_BEHAVIOUR);
    // Its wording, compared once per kind of message, as templates.
    expect(report.comparison.wording.filter((w) => !w.same).map((w) => [w.name, w.a, w.b])).toEqual([
      ["invalidRequestBody", "Invalid request body: {detail}", "Validation error: {detail}"],
      ["malformedJson", expect.stringMatching(/^Request body is not valid JSON: /), "Malformed JSON"],
      ["methodNotAllowed", "Method {method} is not allowed on {path}. Use GET, POST", "Cannot {method} {path}"],
      ["missingApiKey", "Secret key not provided!", "Missing API key"],
      ["payloadTooLarge", "Request body is larger than 102400 bytes", "Payload too large"],
      ["unknownApiKey", "Organization with provided cv-api-key not found!", "Unauthorized"],
      ["unsupportedMediaType", "Content-Type must be application/json (received {detail})", "Unsupported content type"],
    ]);
    expect(counted(report).filter((d) => d.startsWith("inferred wording"))).toHaveLength(7);
    // The fields the contract lets a service add are listed, not counted.
    // So are requests the suite could send on one side only, or with other fields: each side's accounts decide them.
    // And the reads: the fake reads through its search (GET), the deployment, which has none, with email-only updates.
    const allowed = report.comparison.differences.filter((d) => d.kind === "allowed");
    expect(
      allowed
        .map((d) => d.what)
        .filter(
          (what) =>
            !(
              what.includes("B only: createdAt, id, updatedAt") ||
              /sent on one side only|null was sent to other fields|a read through the vendor's search on one side/.test(what)
            ),
        ),
    ).toEqual([]);
    expect(
      allowed.some((d) => d.what.includes("B only: createdAt, id, updatedAt")),
      "the added fields are listed",
    ).toBe(true);
    expect(allowed.filter((d) => /a read through the vendor's search on one side/.test(d.what)).map((d) => [d.a, d.b])).toContainEqual([
      "read through search",
      "read with an email-only update",
    ]);
    expect(report.counts).toMatchObject({ documented: 0, inferredBehaviour: 5, inferredWording: 7 });
    expect(output).toMatch(/no documented behaviour differs · .* · exit 0$/);
    expect(output).toContain("  ~ api-key-unknown: "); // ✗ is kept for what gates: a documented difference
    expect(output).not.toMatch(/^\s+✗ /m);
    expect(fake!.state()).toEqual(before.fake);
    expect(foreign!.profiles()).toEqual(before.foreign);
    expect(output).not.toContain(foreign!.apiKey);
  });

  it("a broken documented rule on one side is a documented difference (exit 1)", async () => {
    const { code, report, output, before } = await drift({ bugs: ["staffAllowed"] });
    expect(code).toBe(1);
    expect(counted(report).filter((d) => d.startsWith("documented"))).toEqual(
      [
        "documented behaviour not-allowed-staff#0 status: 400 | 200",
        'documented wording not-allowed-staff#0 message: "Not allowed to update the profile" | "Profile updated successfully"',
      ].sort(),
    );
    // The request with a city is never sent: a staff account could not be put back (the endpoint rightly refuses it).
    expect(report.comparison.differences.some((d) => d.scenario === "not-allowed-staff" && d.step === 1)).toBe(false);
    expect(output).toContain("  ✗ not-allowed-staff: ");
    expect(foreign!.profiles()).toEqual(before.foreign); // the staff account it changed, restored
  });

  it("under --read-only sends nothing either side applies", async () => {
    const { code } = await drift({}, ["--read-only"]);
    expect(code).toBe(0);
    expect(foreign!.appliedWrites()).toBe(0);
  });

  it("a side that cannot run makes drift exit 2, saying which and why", async () => {
    const { code, output } = await drift({}, ["--b-api-key", "sk_live_wrong_key_000000000000000000"]);
    expect(code).toBe(2);
    expect(output).toMatch(/• B \(staging\) could not run: The API key was refused/);
  });
});

/** drift as first typed: only B's flags, and its own JSON report. */
async function driftWith(args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), "cv-drift-"));
  const target = join(dir, "staging.yaml");
  writeFileSync(target, stringify({ accounts: foreign!.accounts, freePhoneNumber: foreign!.freePhoneNumber }));
  const lines: string[] = [];
  const code = await driftCommand(
    ["--b-target", target, "--b-base-url", foreign!.url, "--b-name", "staging", "--json", join(dir, "drift.json"), ...args],
    (l) => lines.push(l),
    (l) => lines.push(l),
  );
  const report = JSON.parse(readFileSync(join(dir, "drift.json"), "utf8")) as DriftReport;
  return { code, output: lines.join("\n"), report };
}

/** Scenarios a side actually sent (skipped ones sent nothing). */
const sent = (summary: DriftReport["a"]["summary"]) => summary.results.filter((r) => r.status !== "skipped").length;

describe("drift as first typed", () => {
  it("with no --a-* flag, A is the fake in this process on its built-in fixtures (no port), and the differences are the same", async () => {
    foreign = await startForeign();
    const { code, output, report } = await driftWith(["--b-api-key", foreign.apiKey]);
    expect(code, output).toBe(0);
    expect(output).toContain("cv-contract-kit drift: A fake (in this process, on the built-in fixtures) ↔ B staging");
    expect(sent(report.a.summary)).toBeGreaterThan(30);
    // What the fake on a port gives (the first test above), from the fake in this process.
    expect(counted(report).filter((d) => !d.startsWith("inferred wording"))).toEqual(PLANTED_BEHAVIOUR);
    expect(report.counts).toMatchObject({ documented: 0, inferredBehaviour: 5, inferredWording: 7 });
  });

  it("B that cannot run (its key refused) stops drift before A sends a scenario (exit 2)", async () => {
    foreign = await startForeign();
    fake = await startFake();
    const before = fake.state();
    const { code, output, report } = await driftWith(["--a-base-url", fake.url, "--b-api-key", "sk_live_wrong_key_000000000000000000"]);
    expect(code).toBe(2);
    expect(output).toMatch(/• B \(staging\) could not run: The API key was refused/);
    expect(output).not.toMatch(/A \(fake\) could not run/);
    expect(sent(report.a.summary)).toBe(0);
    expect(sent(report.b.summary)).toBe(0);
    // A saw its preflight only: reads, a handful of them, and nothing changed.
    expect(fake.requests().length).toBeLessThan(12);
    expect(fake.state()).toEqual(before);
  });

  it("A that cannot run (its key refused) stops drift before B sends anything at all (exit 2)", async () => {
    foreign = await startForeign();
    fake = await startFake();
    const { code, output, report } = await driftWith([
      "--a-base-url",
      fake.url,
      "--a-api-key",
      "cvk_wrong_key_0000000000",
      "--b-api-key",
      foreign.apiKey,
    ]);
    expect(code).toBe(2);
    expect(output).toMatch(/• A \(fake\) could not run: The API key was refused/);
    expect(output).not.toMatch(/B \(staging\) could not run/);
    expect(foreign.requestCount()).toBe(0);
    expect(report.b.summary.fatal).toBe("Not run: A (fake) could not run, so B sent nothing.");
  });
});
