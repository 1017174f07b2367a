// The shape of `conform --json`, as conformance/report.schema.json says it: every test that reads a JSON report of
// conform reads it through here, so a report that leaves the schema fails the test that produced it.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type addFormatsModule from "ajv-formats";
import type { ConformanceJsonReport } from "../../src/conformance/reporters/json-reporter.js";

const schema = JSON.parse(readFileSync(new URL("../../conformance/report.schema.json", import.meta.url), "utf8")) as object;
const require = createRequire(import.meta.url);
const { Ajv2020 } = require("ajv/dist/2020") as typeof import("ajv/dist/2020.js");
const addFormats = require("ajv-formats") as typeof addFormatsModule.default;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile<ConformanceJsonReport>(schema);

/** Parses a conform --json report and throws, naming each place, when it is not what the schema says. */
export function checkedReport(text: string): ConformanceJsonReport {
  const report: unknown = JSON.parse(text);
  if (!validate(report)) {
    const where = (validate.errors ?? [])
      .slice(0, 10)
      .map((e) => `${e.instancePath || "/"} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`);
    throw new Error(`the conform --json report does not match conformance/report.schema.json:\n  ${where.join("\n  ")}`);
  }
  const counted = Object.values(report.counts).reduce((a, b) => a + b, 0);
  if (counted !== report.results.length) throw new Error(`the report's counts add up to ${counted}, but it holds ${report.results.length} results`);
  return report;
}
