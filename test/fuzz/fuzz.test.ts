// Generated requests (--fuzz) with the vendor's rules as the oracle. Against targets written here, each with one
// planted bug no scripted scenario meets, the run must report a minimal example (a failure where the oracle is
// documented or the answer a 5xx; a warning, a failure under --strict, where it is inferred), replayable by its
// seed, leaving nothing changed. Against the fake: no finding at all, and its state as it was.
import { describe, expect, it } from "vitest";
import type { FakeServer } from "../../src/index.js";
import { conform, marked, type ConformRun } from "../support/conform-run.js";
import { checkedReport } from "../support/report-schema.js";
import type { ConformanceJsonReport } from "../../src/conformance/reporters/json-reporter.js";
import type { ForeignDeployment, PlantedBug } from "../support/foreign-deployment.js";
import { useFakeServers } from "../support/use-fake.js";
import { useForeignDeployments } from "../support/use-foreign.js";
import { conformCommand } from "../../src/cli/conform.js";

const SEED = "20261127";
const RUNS = "600";

let foreign: ForeignDeployment | undefined;
let fake: FakeServer | undefined;
const startForeign = useForeignDeployments();
const startFake = useFakeServers();

async function fuzz(bugs: PlantedBug[], ...args: string[]): Promise<ConformRun & { summary: ConformanceJsonReport }> {
  foreign = await startForeign({ bugs });
  const run = await conform(foreign, ["--only", "fuzz", "--fuzz", RUNS, "--seed", SEED, ...args]);
  return { ...run, summary: checkedReport(run.json) };
}

/** The data of the minimal request a family reports. */
function minimal(summary: ConformanceJsonReport, family: string): Record<string, unknown> {
  const result = summary.results.find((r) => r.id === family)!;
  const send = result.steps.find((s) => s.kind === "send")!;
  return (JSON.parse(send.exchange!.request.body!) as { data: Record<string, unknown> }).data;
}

describe("generated requests find what no scripted scenario meets, and shrink it to a minimal example", () => {
  it("a name with a 4-byte UTF-8 character answered 500: a failure (exit 1), one character", async () => {
    const { code, summary, stdout, changed } = await fuzz(["astralCharacterCrash"]);
    expect(code).toBe(1);
    expect(marked({ stdout } as ConformRun, "✗")).toEqual(["fuzz-valid-partial-update"]);
    const data = minimal(summary, "fuzz-valid-partial-update");
    const fields = Object.keys(data).filter((k) => k !== "email");
    expect(fields).toHaveLength(1);
    expect([...(data[fields[0]!] as string)]).toHaveLength(1);
    expect((data[fields[0]!] as string).codePointAt(0)).toBeGreaterThan(0xffff);
    expect(stdout).toMatch(/not_a_server_error:\n {8}Received: 500/);
    expect(changed).toEqual([]);
  });

  it("a first name of 60 characters (the contract allows 100) answered 500: a failure, exactly 60", async () => {
    const { code, summary, changed } = await fuzz(["longFirstNameCrash"]);
    expect(code).toBe(1);
    expect(minimal(summary, "fuzz-valid-partial-update")).toEqual({ email: "qa.updatable@acme.test", firstName: "A".repeat(60) });
    expect(changed).toEqual([]);
  });

  it("postalCode sent alone clears city: a failure, the postal code alone", async () => {
    const { code, summary, stdout, changed } = await fuzz(["postalCodeClearsCity"]);
    expect(code).toBe(1);
    expect(Object.keys(minimal(summary, "fuzz-valid-partial-update"))).toEqual(["email", "postalCode"]);
    expect(stdout).toMatch(/Received: city=null\n {8}Documented: city=Portland/);
    expect(changed).toEqual([]);
  });

  it("address2 wiped when a partial update omits it: a failure, with one other field", async () => {
    const { code, summary, stdout, changed } = await fuzz(["partialUpdateWipesAddress2"]);
    expect(code).toBe(1);
    const fields = Object.keys(minimal(summary, "fuzz-valid-partial-update")).filter((k) => k !== "email");
    expect(fields).toHaveLength(1);
    expect(fields[0]).not.toBe("address2");
    expect(stdout).toMatch(/Received: address2=null\n {8}Documented: address2=Suite 9/);
    expect(changed).toEqual([]);
  });

  it.each<[PlantedBug, string, RegExp]>([
    ["impossibleDateAccepted", "fuzz-dob-impossible", /^\d{4}-(02-(29|30|31)|(04|06|09|11)-31)$/],
    ["lowercaseStateAccepted", "fuzz-pattern", /^[a-zA-Z]{2}$/],
    ["lowercaseGenderAccepted", "fuzz-enum-case", /^(male|Male|female|Female|other|Other)$/],
  ])("%s: an inferred rule, so a warning (exit 0), and a failure under --strict", async (bug, family, value) => {
    const lenient = await fuzz([bug]);
    expect(lenient.code).toBe(0);
    expect(marked(lenient, "!")).toEqual([family]);
    const [, sent] = Object.entries(minimal(lenient.summary, family)).find(([k]) => k !== "email")!;
    expect(sent).toMatch(value);
    expect(lenient.changed).toEqual([]);
    await foreign!.close();
    const strict = await fuzz([bug], "--strict");
    expect(strict.code).toBe(1);
    expect(marked(strict, "✗")).toEqual([family]);
    expect(strict.stdout).toContain("Reproduce with: curl");
  });

  it("prints the seed first, and the same seed replays the same example", async () => {
    const first = await fuzz(["postalCodeClearsCity"]);
    expect(first.stdout.split("\n")[1]).toBe(
      `Fuzz: ${RUNS} generated requests after the scenarios, seed ${SEED} (replay exactly: --fuzz ${RUNS} --seed ${SEED})`,
    );
    await foreign!.close();
    const second = await fuzz(["postalCodeClearsCity"]);
    expect(minimal(second.summary, "fuzz-valid-partial-update")).toEqual(minimal(first.summary, "fuzz-valid-partial-update"));
  });

  it("--read-only leaves the valid updates out: nothing is applied", async () => {
    const { code, stdout } = await fuzz([], "--read-only");
    expect(code).toBe(0);
    expect(stdout).not.toContain("fuzz-valid-partial-update");
    expect(foreign!.appliedWrites()).toBe(0);
  });
});

describe("generated requests against the fake", () => {
  it("find nothing, and leave its state as it was", async () => {
    fake = await startFake();
    const before = fake.state();
    const lines: string[] = [];
    const code = await conformCommand(
      ["--base-url", fake.url, "--only", "fuzz", "--fuzz", "1500", "--seed", SEED],
      (l) => lines.push(l),
      (l) => lines.push(l),
    );
    const output = lines.join("\n");
    expect(code, output).toBe(0);
    expect(output).not.toMatch(/^ {2}[✗!E] /m);
    const requests = [...output.matchAll(/\((\d+) requests, /g)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(requests).toBeGreaterThanOrEqual(1500);
    expect(output.match(/^ {2}✓ fuzz-/gm)).toHaveLength(16);
    expect(fake.state()).toEqual(before);
    console.log(`[fuzz] fake: ${requests} generated requests, 0 findings`);
  });

  it("--seed without --fuzz, or --fuzz 0, is a setup mistake (exit 2)", async () => {
    const err: string[] = [];
    expect(
      await conformCommand(
        ["--seed", "1"],
        () => {},
        (l) => err.push(l),
      ),
    ).toBe(2);
    expect(
      await conformCommand(
        ["--fuzz", "0"],
        () => {},
        (l) => err.push(l),
      ),
    ).toBe(2);
    expect(err.join("\n")).toMatch(
      /--seed replays generated requests: pass --fuzz <n> with it\.[\s\S]*--fuzz must be a whole number of requests from 1 to 1000000 \(received "0"\)/,
    );
  });
});
