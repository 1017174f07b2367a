/**
 * @module conformance/reporters/json-reporter
 * The whole result model (of a conformance run or a drift) as JSON, for tools and dashboards. Every string is made visible and redacted before serializing
 * (so an escaped key is caught too), and the output redacted once more after.
 */
import type { Redact } from "../redact.js";
import { safeValue } from "./visible.js";
import { writeReportFile } from "./write-report-file.js";
import type { DriftReport } from "../drift/run-drift.js";
import type { ConformanceSummary } from "../results.js";

/** A conformance summary or a drift report, whole. */
export function writeJsonReport(path: string, report: ConformanceSummary | DriftReport, redact: Redact): void {
  writeReportFile(path, `${redact(JSON.stringify(safeValue(report, redact), null, 2))}\n`);
}
