#!/usr/bin/env node
// Sums vitest JSON reports (--reporter=json --outputFile=…) into the one plain line CI reads last:
// "N passed, M failed" (", K skipped" when some were). .ci/run gives it one report per pass, as LABEL=FILE.
//
//   node scripts/ci-count.mjs "node v20.20.2=reports/ci-node.json" "node 24=reports/ci-node24.json"
//
// A pass whose report is missing or unreadable counts as 1 failed (it ran no test it can vouch for), and so does a
// test file that failed before any of its tests ran (an import error: vitest lists it with no tests). Prints one
// line per pass, then the total; exits 1 if anything failed or a pass ran no test, else 0.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

/** @param {string} file */
export function countsOf(file) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return { passed: 0, failed: 1, skipped: 0, note: `no readable report at ${file} (${error.code ?? error.message})` };
  }
  const filesFailedWithoutTests = (report.testResults ?? []).filter((f) => f.status === "failed" && (f.assertionResults ?? []).length === 0).length;
  return {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + filesFailedWithoutTests,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    note: filesFailedWithoutTests ? `${filesFailedWithoutTests} test file(s) failed before running a test` : "",
  };
}

/** @param {{ passed: number, failed: number, skipped: number }} c */
export const line = (c) => `${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ""}`;

function main(args) {
  if (args.length === 0) {
    console.error("usage: node scripts/ci-count.mjs LABEL=REPORT.json [LABEL=REPORT.json …]");
    return 2;
  }
  const total = { passed: 0, failed: 0, skipped: 0 };
  let emptyPass = false;
  for (const arg of args) {
    const at = arg.lastIndexOf("=");
    const [label, file] = at > 0 ? [arg.slice(0, at), arg.slice(at + 1)] : [arg, arg];
    const c = countsOf(file);
    if (c.passed + c.failed === 0) emptyPass = true;
    // "label — counts", never "N passed, M failed" alone: only the last line may read as the run's total.
    console.log(`${label} — ${line(c)}${c.note ? ` (${c.note})` : ""}`);
    for (const k of Object.keys(total)) total[k] += c[k];
  }
  console.log(line(total));
  return total.failed > 0 || emptyPass ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main(process.argv.slice(2));
