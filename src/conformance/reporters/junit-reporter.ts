/**
 * @module conformance/reporters/junit-reporter
 * JUnit XML through junit-report-builder (no hand-written XML): one suite per tier, one test case per scenario.
 * An inferred failure that does not gate is a passing case with the warning in its system-out.
 */
import junitBuilderModule, { type Builder } from "junit-report-builder";
import type { ConformanceSummary } from "../results.js";
import type { Redact } from "./redact.js";

// The package is CommonJS (module.exports = builder) while its types declare an ES default export.
const junitBuilder = junitBuilderModule as unknown as Builder;

export function writeJunitReport(path: string, summary: ConformanceSummary, redact: Redact): void {
  const builder = junitBuilder.newBuilder();
  for (const tier of ["documented", "inferred"] as const) {
    const suite = builder.testSuite().name(`cv-contract-kit conformance (${tier})`).timestamp(summary.startedAt);
    for (const r of summary.results.filter((x) => x.tier === tier)) {
      const testCase = suite
        .testCase()
        .className(`conformance.${tier}`)
        .name(`${r.id}: ${r.title}`)
        .file(r.file)
        .time(r.durationMs / 1000)
        .property("source", r.source);
      const details = redact(
        r.steps
          .flatMap((step) => step.checks.filter((c) => !c.ok).map((c) => `${c.check}: ${c.message}\nReproduce with: ${step.curl}`))
          .join("\n\n"),
      );
      if (r.status === "failed") testCase.failure(details.split("\n")[0] ?? "failed", "ConformanceFailure").stacktrace(details);
      else if (r.status === "error") testCase.error(redact(r.reason ?? "error"), "HarnessError");
      else if (r.status === "skipped") testCase.skipped().property("skipReason", r.reason ?? "");
      else if (r.status === "warned") testCase.standardOutput(`WARNING (inferred, not gating):\n${details}`);
      if (r.restore) testCase.standardError(redact(r.restore.ok ? r.restore.message : `RESTORE FAILED: ${r.restore.message}`));
    }
  }
  builder.writeTo(path);
}
