/**
 * @module conformance/reporters/json-reporter
 * The whole result model as JSON, for tools and dashboards. Every string is redacted before serializing (so an
 * escaped key is caught too), and the output once more after.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { redactValue, type Redact } from "../redact.js";
import type { ConformanceSummary } from "../results.js";

export function writeJsonReport(path: string, summary: ConformanceSummary, redact: Redact): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${redact(JSON.stringify(redactValue(summary, redact), null, 2))}\n`);
}
