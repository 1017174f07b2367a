/**
 * @module conformance/reporters/html/html-reporters
 * The HTML reports of `conform` and `drift`, as reporters: one self-contained file each.
 */
import type { DriftReport } from "../../drift/run-drift.js";
import type { ConformanceSummary } from "../../results.js";
import { defineReporter } from "../define-reporter.js";
import { renderConformanceHtml } from "./conformance-html.js";
import { renderDriftHtml } from "./drift-html.js";
import { writeHtmlReport } from "./write-html.js";

export const conformanceHtmlReporter = defineReporter<ConformanceSummary, "html">({
  flag: "html",
  help: "Write an HTML report: one self-contained file to open in a browser or attach to CI",
  create: (file, { redact }) => ({ finish: (summary) => writeHtmlReport(file, renderConformanceHtml(summary, redact), redact) }),
});

export const driftHtmlReporter = defineReporter<DriftReport, "html">({
  flag: "html",
  help: "Write an HTML report: the two sides in two columns, the differences highlighted",
  create: (file, { redact }) => ({ finish: (report) => writeHtmlReport(file, renderDriftHtml(report, redact), redact) }),
});
