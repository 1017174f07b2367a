// scripts/ci-count.mjs, which gives .ci/run its last line: vitest JSON reports of two passes summed, a missing report
// or a test file that failed to load counted as a failure, and the exit code saying whether anything failed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SCRIPT = fileURLToPath(new URL("../../scripts/ci-count.mjs", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "cv-ci-count-"));

function report(name: string, body: Record<string, unknown>): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(body));
  return file;
}

function count(...args: string[]) {
  const run = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: "utf8" });
  return { code: run.status, lines: run.stdout.trim().split("\n") };
}

describe("scripts/ci-count.mjs", () => {
  it("sums two passes into one plain last line, exit 0 when all passed", () => {
    const a = report("a.json", {
      numPassedTests: 800,
      numFailedTests: 0,
      numPendingTests: 0,
      numTodoTests: 0,
      testResults: [{ status: "passed", assertionResults: [{}] }],
    });
    const b = report("b.json", { numPassedTests: 799, numFailedTests: 0, numPendingTests: 1, numTodoTests: 0, testResults: [] });
    const run = count(`node v20=${a}`, `node 24=${b}`);
    expect(run.lines).toEqual(["node v20 — 800 passed, 0 failed", "node 24 — 799 passed, 0 failed, 1 skipped", "1599 passed, 0 failed, 1 skipped"]);
    expect(run.code).toBe(0);
  });

  it("counts a failed test, a file that failed to load, and a missing report as failures (exit 1)", () => {
    const a = report("c.json", {
      numPassedTests: 10,
      numFailedTests: 2,
      testResults: [
        { status: "failed", assertionResults: [] },
        { status: "failed", assertionResults: [{}, {}] },
      ],
    });
    const run = count(`first=${a}`, `second=${join(dir, "absent.json")}`);
    expect(run.lines.at(-1)).toBe("10 passed, 4 failed");
    expect(run.lines[1]).toMatch(/^second — 0 passed, 1 failed \(no readable report at .*absent\.json \(ENOENT\)\)$/);
    expect(run.code).toBe(1);
  });

  it("fails a pass that ran no test", () => {
    const run = count(`empty=${report("d.json", { numPassedTests: 0, numFailedTests: 0, testResults: [] })}`);
    expect(run.lines.at(-1)).toBe("0 passed, 0 failed");
    expect(run.code).toBe(1);
  });
});
