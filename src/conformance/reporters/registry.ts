/**
 * @module conformance/reporters/registry
 * The file reporters of `conform` and of `drift`. A new one is one file (defineReporter) and one line here: its flag,
 * help and synopsis entry come with it (src/cli/conform.ts, src/cli/drift.ts spread reporterOptions of these lists).
 */
import { conformanceHtmlReporter, driftHtmlReporter } from "./html/html-reporters.js";
import { conformanceJsonReporter, driftJsonReporter } from "./json-reporter.js";
import { junitReporter } from "./junit-reporter.js";

export const CONFORMANCE_REPORTERS = [junitReporter, conformanceJsonReporter, conformanceHtmlReporter] as const;
export const DRIFT_REPORTERS = [driftJsonReporter, driftHtmlReporter] as const;
