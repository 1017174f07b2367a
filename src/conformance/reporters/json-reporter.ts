/**
 * @module conformance/reporters/json-reporter
 * The whole result model as JSON, for tools and dashboards.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { ConformanceSummary } from "../results.js";
import type { Redact } from "./redact.js";

export function writeJsonReport(path: string, summary: ConformanceSummary, redact: Redact): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${redact(JSON.stringify(summary, null, 2))}\n`);
}
