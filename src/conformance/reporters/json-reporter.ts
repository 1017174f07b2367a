/**
 * @module conformance/reporters/json-reporter
 * The result model (of a conformance run or a drift) as JSON, for tools and dashboards. Every string is made visible
 * and redacted before serializing (so an escaped key is caught too), and the output redacted once more after. A
 * conformance report's shape is conformance/report.schema.json.
 */
import type { Redact } from "../redact.js";
import { safeValue } from "./visible.js";
import { writeReportFile } from "./write-report-file.js";
import { defineReporter } from "./define-reporter.js";
import type { DriftReport } from "../drift/run-drift.js";
import type { Exchange } from "../exchange.js";
import type { ConformanceSummary, ScenarioResult, ScenarioStatus, StepResult } from "../results.js";

/** Which exchanges a conformance report keeps: those of the scenarios to look at, or (with --verbose) every one. */
export type KeptExchanges = "failuresAndWarnings" | "all";

/** A step as the JSON report keeps it: the exchange only where the report keeps exchanges (the curl line always). */
export type ReportedStep = Omit<StepResult, "exchange"> & { exchange?: Exchange };
export type ReportedScenario = Omit<ScenarioResult, "steps"> & { steps: ReportedStep[] };
export type ConformanceJsonReport = Omit<ConformanceSummary, "results"> & { exchanges: KeptExchanges; results: ReportedScenario[] };

/** The statuses someone opens the report for: their requests and answers are kept whole. */
const LOOKED_AT: ReadonlySet<ScenarioStatus> = new Set(["failed", "warned", "error"]);

/**
 * A conformance summary as its JSON report: an all-pass run's report would otherwise be mostly answers nobody reads
 * (1.4 MB), so a passed scenario keeps its checks and curl lines but not its exchanges, unless `all`.
 */
export function conformanceJsonReport(summary: ConformanceSummary, exchanges: KeptExchanges = "failuresAndWarnings"): ConformanceJsonReport {
  const results = summary.results.map((result): ReportedScenario =>
    exchanges === "all" || LOOKED_AT.has(result.status) ? result : { ...result, steps: result.steps.map(({ exchange: _, ...step }) => step) },
  );
  return { ...summary, exchanges, results };
}

/** A conformance report (see conformanceJsonReport) or a drift report, whole. */
export function writeJsonReport(path: string, report: ConformanceSummary | ConformanceJsonReport | DriftReport, redact: Redact): void {
  writeReportFile(path, `${redact(JSON.stringify(safeValue(report, redact), null, 2))}\n`);
}

export const conformanceJsonReporter = defineReporter<ConformanceSummary, "json">({
  flag: "json",
  help: "Write a JSON report (its shape: the package's conformance/report.schema.json)",
  create: (file, { redact, verbose }) => ({
    finish: (summary) => writeJsonReport(file, conformanceJsonReport(summary, verbose ? "all" : "failuresAndWarnings"), redact),
  }),
});

export const driftJsonReporter = defineReporter<DriftReport, "json">({
  flag: "json",
  help: "Write the whole comparison as JSON",
  create: (file, { redact }) => ({ finish: (report) => writeJsonReport(file, report, redact) }),
});
