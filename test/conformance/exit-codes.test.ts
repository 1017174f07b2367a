// The exit-code table of docs/conformance.md ("Every case"), proved row by row: each row names a case, and the
// case runs `conform` against the independent foreign deployment and must end with the row's exit code. A row
// without a case, or a case without a row, fails: the table and the tests cannot drift apart.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { conform, interruptedRun, PREFLIGHT_REQUESTS, targetFileOf, type ConformRun } from "../support/conform-run.js";
import { useForeignDeployments } from "../support/use-foreign.js";

const start = useForeignDeployments();

/** Each case, and what else it must show besides its exit code. */
const CASES: Record<string, () => Promise<{ run: ConformRun; also: (run: ConformRun) => void }>> = {
  clean: async () => ({ run: await conform(await start()), also: (run) => expect(run.changed).toEqual([]) }),
  "planted-bug": async () => ({
    run: await conform(await start({ bugs: ["staffAllowed"] })),
    also: (run) => expect(run.stdout).toContain("✗ not-allowed-staff"),
  }),
  "html-500": async () => ({
    run: await conform(await start({ bugs: ["htmlErrorOnLongValue"] })),
    also: (run) => expect(run.stdout).toContain("✗ robust-long-string [inferred]"),
  }),
  strict: async () => ({
    run: await conform(await start(), ["--strict"]),
    also: (run) => expect(run.stdout).toMatch(/✗ api-key-unknown: [\s\S]*expected_status \(inferred\):\n {8}Received: 401/),
  }),
  "bad-target-file": async () => {
    const d = await start();
    return {
      run: await conform(d, [], { target: { acounts: targetFileOf(d).accounts } }),
      also: (run) => expect(run.stderr).toContain("unknown key acounts (did you mean accounts?)"),
    };
  },
  "refused-key": async () => ({
    run: await conform(await start(), [], { apiKey: "sk_live_wrong_000000000000000000000" }),
    also: (run) => expect(run.stdout).toContain("The API key was refused"),
  }),
  stalled: async () => {
    const d = await start({
      intercept: (r, res) => r.index >= PREFLIGHT_REQUESTS && (res.writeHead(200, { "content-type": "application/json" }), res.write("{"), true),
    });
    return { run: await conform(d, ["--timeout", "200"]), also: (run) => expect(run.stdout).toContain("The target stopped answering") };
  },
  "restore-failed": async () => {
    const d = await start({
      bugs: ["phoneNotUnique"],
      intercept: (r, res) =>
        r.body.includes('"phoneNumber":"+14155550101"') &&
        (res.writeHead(400, { "content-type": "application/json" }).end('{"status":400,"success":false,"message":"No"}'), true),
    });
    return {
      run: await conform(d, ["--only", "phone-in-use"]),
      also: (run) => expect(run.stdout).toMatch(/✗ phone-in-use[\s\S]*!!! RESTORE FAILED/),
    };
  },
  "timed-out": async () => {
    const d = await start({ beforeWrite: (r) => new Promise((resolve) => setTimeout(resolve, r.body.includes("Conformance City") ? 500 : 0)) });
    return { run: await conform(d, ["--timeout", "250", "--only", "success-partial-update"]), also: (run) => expect(run.changed).toEqual([]) };
  },
  "nothing-to-run": async () => ({
    run: await conform(await start(), ["--only", "success", "--read-only"]),
    also: (run) => expect(run.stderr).toContain("No scenario left to run"),
  }),
  interrupted: async () => {
    const d = await start({
      beforeWrite: (r) => new Promise((resolve) => setTimeout(resolve, r.body.includes('"firstName":"Conformance"') ? 1500 : 0)),
    });
    return {
      run: await interruptedRun(d, ["--only", "success-full-update"]),
      also: (run) => expect(run.stderr).toContain("SIGINT: finishing the scenario under way"),
    };
  },
  "missing-account": async () => {
    const d = await start();
    const { staffUser: _, ...accounts } = targetFileOf(d).accounts as Record<string, unknown>;
    return {
      run: await conform(d, [], { target: { ...targetFileOf(d), accounts } }),
      also: (run) => expect(run.stderr).toContain("--allow-skip not-allowed-staff"),
    };
  },
};

const PAGE = readFileSync(new URL("../../docs/conformance.md", import.meta.url), "utf8");
const tableAt = PAGE.indexOf("### Every case");
const table = PAGE.slice(tableAt, PAGE.indexOf("\n#", tableAt + 1)); // up to the next heading
const ROWS = [...table.matchAll(/^\| ([012]) \| (.+?) \| `([\w-]+)` \|$/gm)].map((m) => ({ exit: Number(m[1]), when: m[2]!, name: m[3]! }));

describe("exit codes, as docs/conformance.md's table lists them", () => {
  it("every row names a case, and every case has a row", () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(8);
    expect(ROWS.map((r) => r.name).sort()).toEqual(Object.keys(CASES).sort());
  });

  it.each(ROWS)("exit $exit: $when", async ({ exit, name }) => {
    const { run, also } = await CASES[name]!();
    expect(run.code, `${run.stderr}\n${run.stdout}`).toBe(exit);
    also(run);
  });
});
