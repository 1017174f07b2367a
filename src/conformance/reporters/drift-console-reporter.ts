/**
 * @module conformance/reporters/drift-console-reporter
 * The drift between two targets in a terminal: each scenario that differs with one line per difference, then the
 * inferred wording per kind of message, then the counts and the verdict. Documented differences come first.
 */
import type { Difference } from "../drift/compare-runs.js";
import type { DriftReport } from "../drift/run-drift.js";
import type { Redact } from "../redact.js";
import { safeLine } from "./visible.js";

export function printDriftReport(report: DriftReport, write: (line: string) => void, redact: Redact, options: { verbose?: boolean } = {}): void {
  // A deployment's words reach this terminal: no control or bidirectional character gets through.
  const safe = safeLine(redact);
  const out = (line: string) => write(safe(line));
  const { a, b, comparison, counts } = report;
  const differing = comparison.scenarios.filter((s) => s.differences.some((d) => d.kind !== "allowed"));
  const order = (d: Difference) => (d.tier === "documented" ? 0 : d.kind === "behaviour" ? 1 : 2);

  out("");
  if (differing.length > 0) out(`Where A (${a.name}) and B (${b.name}) answer differently:`);
  for (const s of [...differing].sort((x, y) => Math.min(...x.differences.map(order)) - Math.min(...y.differences.map(order)))) {
    // ✗ only where documented behaviour differs (it gates); ~ where only inferred behaviour or wording does.
    const gating = s.differences.some((d) => d.tier === "documented" && d.kind !== "allowed");
    out(`  ${gating ? "✗" : "~"} ${s.id}${s.tier === "inferred" ? " [inferred]" : ""}: ${s.title}`);
    for (const d of s.differences.filter((x) => x.kind !== "allowed")) {
      out(
        `      ${d.tier === "documented" ? "documented " : ""}${d.aspect}${d.step !== undefined ? ` (request ${d.step + 1})` : ""}: ${d.what.replace(/^\w+ /, "")}`,
      );
    }
  }
  const wording = comparison.wording.filter((w) => !w.same);
  if (wording.length > 0) {
    out(`Inferred wording, per kind of message (A ${a.name} vs B ${b.name}; not the page's words, so never gating):`);
    for (const w of wording) out(`  ~ ${w.name}: ${JSON.stringify(w.a ?? null)} vs ${JSON.stringify(w.b ?? null)}`);
  }
  const allowed = comparison.differences.filter((d) => d.kind === "allowed");
  if (allowed.length > 0) {
    const kinds = [...new Set(allowed.map((d) => d.what))];
    out(
      `Allowed by the contract, not counted: ${kinds.slice(0, 3).join("; ")}${kinds.length > 3 ? ` (and ${kinds.length - 3} more)` : ""} (${allowed.length} answers)`,
    );
  }
  const oneSide = comparison.scenarios.filter((s) => s.onlyOneSide);
  if (oneSide.length > 0) {
    out(`Ran on one side only: ${oneSide.length}`);
    if (options.verbose) for (const s of oneSide) out(`  - ${s.id}: ${s.onlyOneSide}`);
  }
  out("");
  out(`Documented behaviour: ${counts.documented} difference(s)${counts.documented ? " (gating)" : ""}`);
  out(`Inferred behaviour:   ${counts.inferredBehaviour} difference(s)`);
  out(`Inferred wording:     ${counts.inferredWording} difference(s)`);
  out(`Same on both sides:   ${counts.same} scenario(s)`);
  if (report.fatal) {
    out("Could not compare:");
    for (const line of report.fatal.split("\n")) out(`  • ${line}`);
  }
  const verdict = ["no documented behaviour differs", "documented behaviour differs", "drift could not run or conclude (see above)"][report.exitCode];
  out(`${verdict} · ${(report.durationMs / 1000).toFixed(1)} s · exit ${report.exitCode}`);
}
