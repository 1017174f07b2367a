/**
 * @module conformance/reporters/json-reporter
 * The whole result model (of a conformance run or a drift) as JSON, for tools and dashboards. Every string is redacted before serializing (so an
 * escaped key is caught too), and the output once more after.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { redactValue, type Redact } from "../redact.js";
import type { DriftReport } from "../drift/run-drift.js";
import type { ConformanceSummary } from "../results.js";

/** A conformance summary or a drift report, whole. */
export function writeJsonReport(path: string, report: ConformanceSummary | DriftReport, redact: Redact): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${redact(JSON.stringify(redactValue(report, redact), null, 2))}\n`);
}
