/**
 * @module conformance/reporters/junit-reporter
 * JUnit XML through junit-report-builder (no hand-written XML): one suite per tier, one test case per scenario.
 * A gating failure is a <failure>; a scenario the harness could not finish, a profile left changed, a run that
 * could not start or had to stop, and a run that cannot say "conforms" are each an <error>, so a CI dashboard
 * never shows green for a run that tested nothing. A warning is a passing case with the warning in its system-out.
 */
import junitBuilderModule, { type Builder } from "junit-report-builder";
import { effectOf } from "../gating.js";
import type { Redact } from "../redact.js";
import type { ConformanceSummary } from "../results.js";
import { safeValue } from "./visible.js";
import { writeReportFile } from "./write-report-file.js";
import { defineReporter } from "./define-reporter.js";

// The package is CommonJS (module.exports = builder) while its types declare an ES default export.
const junitBuilder = junitBuilderModule as unknown as Builder;

export function writeJunitReport(path: string, input: ConformanceSummary, redact: Redact): void {
  // Outside text made visible and redacted before it is put into XML (an XML 1.0 file cannot even hold most controls).
  const summary = safeValue(input, redact);
  const builder = junitBuilder.newBuilder();
  const gating = { strict: summary.strict, strictWording: summary.strictWording };
  if (summary.fatal || summary.incomplete?.length) {
    const run = builder.testSuite().name("cv-contract-kit conformance (run)").timestamp(summary.startedAt);
    if (summary.fatal)
      run
        .testCase()
        .className("conformance.run")
        .name(summary.preflight && !summary.preflight.ok ? "preflight" : "run")
        .error(summary.fatal, "CouldNotRun", summary.fatal);
    for (const line of summary.incomplete ?? []) run.testCase().className("conformance.run").name("verdict").error(line, "Incomplete");
  }
  for (const tier of ["documented", "inferred"] as const) {
    const results = summary.results.filter((x) => x.tier === tier);
    if (results.length === 0) continue;
    const suite = builder.testSuite().name(`cv-contract-kit conformance (${tier})`).timestamp(summary.startedAt);
    for (const r of results) {
      const testCase = suite
        .testCase()
        .className(`conformance.${tier}`)
        .name(`${r.id}: ${r.title}`)
        .file(r.file)
        .time(r.durationMs / 1000)
        .property("source", r.source);
      const failures = (effect: string) =>
        r.steps
          .flatMap((step) =>
            step.checks.filter((c) => !c.ok && effectOf(c, gating) === effect).map((c) => `${c.check}: ${c.message}\nReproduce with: ${step.curl}`),
          )
          .join("\n\n");
      if (r.status === "failed") {
        const details = failures("fail");
        testCase.failure(details.split("\n")[0] ?? "failed", "ConformanceFailure").stacktrace(details);
      } else if (r.status === "error") testCase.error(r.reason ?? "error", "HarnessError");
      else if (r.status === "skipped") testCase.skipped().property("skipReason", r.reason ?? "");
      else if (r.status === "warned") testCase.standardOutput(`WARNING (inferred, not gating):\n${failures("warn")}`);
      const lost = r.restore?.accounts.filter((a) => !a.ok) ?? [];
      if (lost.length > 0) {
        const details = lost
          .map(
            (a) =>
              `accounts.${a.account}: ${a.message}\nOld values: ${JSON.stringify(a.oldValues)}${(a.commands ?? []).map((c) => `\nPut them back with: ${c}`).join("")}`,
          )
          .join("\n\n");
        testCase.error(`RESTORE FAILED: ${lost.map((a) => a.message).join("; ")}`, "RestoreFailed", details);
      }
      if (r.restore?.accounts.some((a) => a.ok))
        testCase.standardError(
          r.restore.accounts
            .filter((a) => a.ok)
            .map((a) => a.message)
            .join("\n"),
        );
    }
  }
  writeReportFile(path, redact(builder.build()));
}

export const junitReporter = defineReporter<ConformanceSummary, "junit">({
  flag: "junit",
  help: "Write a JUnit XML report (also when the run cannot start)",
  create: (file, { redact }) => ({ finish: (summary) => writeJunitReport(file, summary, redact) }),
});
