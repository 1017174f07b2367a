/**
 * @module conformance/reporters/console-reporter
 * Readable progress, one line a scenario; a failure shows each failed check ("Received … / Documented …") and a
 * curl command that reproduces it. Documented and inferred results are counted apart.
 */
import type { ConformanceEvent, ConformanceSummary, ScenarioResult } from "../results.js";
import type { Redact } from "./redact.js";

const MARK: Record<ScenarioResult["status"], string> = { passed: "✓", failed: "✗", warned: "!", skipped: "-", error: "E" };

export function createConsoleReporter(write: (line: string) => void, redact: Redact) {
  const out = (line: string) => write(redact(line));
  return (event: ConformanceEvent): void => {
    switch (event.type) {
      case "runStarted":
        out(`cv-contract-kit conformance → ${event.baseUrl} (${event.scenarios.length} scenarios to run)`);
        break;
      case "scenarioFinished":
        printScenario(out, event.result);
        break;
      case "runFinished":
        printSummary(out, event.summary);
        break;
    }
  };
}

/** Scenarios left out by --only/--skip are counted in the summary, not listed one by one. */
const deselected = (r: ScenarioResult) => r.status === "skipped" && /^(not selected by --only|left out by --skip)/.test(r.reason ?? "");

function printScenario(out: (line: string) => void, r: ScenarioResult): void {
  if (deselected(r)) return;
  const tier = r.tier === "inferred" ? " [inferred]" : "";
  const time = r.status === "skipped" ? "" : ` (${r.durationMs} ms)`;
  out(`  ${MARK[r.status]} ${r.id}${tier}: ${r.title}${time}`);
  if (r.reason) out(`      ${r.status === "skipped" ? "skipped" : "error"}: ${r.reason}`);
  if (r.status === "failed" || r.status === "warned") {
    for (const step of r.steps) {
      const failed = step.checks.filter((c) => !c.ok);
      if (failed.length === 0) continue;
      for (const check of failed) {
        out(`      ${check.check}${check.tier === "inferred" ? " (inferred)" : ""}:`);
        for (const line of (check.message ?? "").split("\n")) out(`        ${line}`);
      }
      out(`      Reproduce with: ${shorten(step.curl)}`);
    }
    out(`      Page: ${r.source.replace(/\s+/g, " ")}`);
  }
  if (r.restore && !r.restore.ok) out(`      !!! RESTORE FAILED: ${r.restore.message}`);
  else if (r.restore) out(`      (${r.restore.message})`);
}

/** A 200 KB body makes a useless console line; the JSON report keeps the whole request. */
function shorten(curl: string, limit = 2000): string {
  return curl.length <= limit ? curl : `${curl.slice(0, limit)}… (${curl.length} characters; the whole request is in the --json report)`;
}

function printSummary(out: (line: string) => void, s: ConformanceSummary): void {
  const tally = (tier: string) => {
    const rs = s.results.filter((r) => r.tier === tier && r.status !== "skipped");
    const n = (status: ScenarioResult["status"]) => rs.filter((r) => r.status === status).length;
    return `${n("passed")} passed, ${n("failed")} failed${n("warned") ? `, ${n("warned")} warned` : ""}${n("error") ? `, ${n("error")} errors` : ""}`;
  };
  out("");
  if (s.fatal) out(`Could not run: ${s.fatal}`);
  out(`Documented behaviour: ${tally("documented")}`);
  out(`Inferred behaviour:   ${tally("inferred")}${s.strict ? " (gating: --strict)" : " (not gating; --strict makes it gate)"}`);
  const notSelected = s.results.filter(deselected).length;
  if (s.counts.skipped - notSelected > 0) out(`Skipped: ${s.counts.skipped - notSelected} (reasons above)`);
  if (notSelected > 0) out(`Not selected by --only/--skip: ${notSelected}`);
  if (s.restoreFailures) out(`!!! ${s.restoreFailures} profile(s) could not be restored: see RESTORE FAILED above and fix them by hand.`);
  const verdict = ["conforms: every gating check passed", "does NOT conform: a gating check failed", "could not run the suite (see above)"][s.exitCode];
  out(`${verdict} · ${(s.durationMs / 1000).toFixed(1)} s · exit ${s.exitCode}`);
}
