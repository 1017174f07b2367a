/**
 * @module conformance/reporters/console-reporter
 * Signal, not noise: one line a scenario. A failure shows each failed check (Received / Documented, or Inferred),
 * the curl command that reproduces it and what to check first; a warning (inferred behaviour) is one line; a
 * difference of inferred wording is shown only with --verbose. A profile that could not be restored is printed
 * loudly, with its old values and a command that puts them back.
 */
import type { CheckResult } from "../checks/check-result.js";
import { effectOf, type GatingOptions } from "../gating.js";
import type { Redact } from "../redact.js";
import type { ConformanceEvent, ConformanceSummary, ScenarioResult } from "../results.js";
import { safeLine } from "./visible.js";

const MARK: Record<ScenarioResult["status"], string> = { passed: "✓", failed: "✗", warned: "!", skipped: "-", error: "E" };

export interface ConsoleReporterOptions extends GatingOptions {
  /** Show notes (inferred wording that differs) and successful restores. */
  verbose?: boolean;
}

export function createConsoleReporter(write: (line: string) => void, redact: Redact, options: ConsoleReporterOptions = {}) {
  // A deployment's words reach this terminal: no control or bidirectional character gets through.
  const safe = safeLine(redact);
  const out = (line: string) => write(safe(line));
  return (event: ConformanceEvent): void => {
    switch (event.type) {
      case "runStarted":
        out(`cv-contract-kit conformance → ${event.baseUrl} (${event.scenarios.length} scenarios to run)`);
        if (event.fuzz)
          out(
            `Fuzz: ${event.fuzz.runs} generated requests after the scenarios, seed ${event.fuzz.seed} (replay exactly: --fuzz ${event.fuzz.runs} --seed ${event.fuzz.seed})`,
          );
        break;
      case "fuzzStarted":
        out(`Generated requests (seed ${event.seed}):`);
        break;
      case "preflightFinished":
        if (event.preflight.ok) out(`Preflight: ${event.preflight.notes.join("; ")}.`);
        else out(`Preflight failed: ${event.preflight.problems.length} problem(s) to fix before the suite can run (see below).`);
        break;
      case "scenarioFinished":
        printScenario(out, event.result, options);
        break;
      case "runFinished":
        printSummary(out, event.summary, options);
        break;
    }
  };
}

function printScenario(out: (line: string) => void, r: ScenarioResult, options: ConsoleReporterOptions): void {
  if (r.skipKind === "deselected" || r.skipKind === "optional" || r.skipKind === "stopped") return; // counted in the summary
  const tier = r.tier === "inferred" ? " [inferred]" : "";
  const failed = r.steps.flatMap((s) => s.checks.filter((c) => !c.ok).map((check) => ({ check, step: s })));
  const byEffect = (effect: string) => failed.filter(({ check }) => effectOf(check, options) === effect);

  if (r.status === "warned") {
    const warnings = byEffect("warn").map(({ check }) => check);
    // "401 is not a status openapi.yaml lists" says again what the expected status already says.
    const shown = warnings.some((c) => c.check === "expected_status") ? warnings.filter((c) => c.check !== "status_code_documented") : warnings;
    out(`  ! ${r.id}${tier}: ${shown.map(oneLine).join("; ")}`);
  } else {
    const time = r.status === "skipped" ? "" : ` (${r.fuzz ? `${r.fuzz.runs} requests, ` : ""}${r.durationMs} ms)`;
    out(`  ${MARK[r.status]} ${r.id}${tier}: ${r.title}${time}`);
  }
  if (r.reason) out(`      ${r.status === "skipped" ? "skipped" : r.status === "error" ? "error" : "found"}: ${r.reason}`);
  // Left out of an account the key cannot read is what a conforming target calls for: shown with --verbose only.
  for (const { fields, why, unreadable } of r.leftOut ?? []) if (!unreadable || options.verbose) out(`      left out ${fields.join(", ")}: ${why}`);
  if (r.status === "failed") {
    for (const step of r.steps) {
      const gating = step.checks.filter((c) => !c.ok && effectOf(c, options) === "fail");
      if (gating.length === 0) continue;
      for (const check of gating) {
        out(`      ${check.check}${check.tier === "inferred" && !check.always ? " (inferred)" : ""}:`);
        for (const line of (check.message ?? "").split("\n")) out(`        ${line}`);
      }
      out(`      Reproduce with: ${shorten(step.curl)}`);
    }
    if (r.hint) out(`      Check first: ${r.hint.replace(/\s+/g, " ")}`);
    out(`      Page: ${r.source.replace(/\s+/g, " ")}`);
  }
  if (options.verbose) for (const { check } of byEffect("note")) out(`      wording (inferred, not gating): ${oneLine(check)}`);
  for (const account of r.restore?.accounts ?? []) {
    if (account.ok) {
      if (options.verbose) out(`      (${account.message})`);
      continue;
    }
    out(`      !!! RESTORE FAILED for accounts.${account.account}: ${account.message}`);
    if (Object.keys(account.oldValues).length > 0) out(`          Old values: ${JSON.stringify(account.oldValues)}`);
    for (const command of account.commands ?? []) out(`          Put them back with: ${command}`);
  }
}

/** "expected_status: received 401, inferred 400" on one line. */
function oneLine(check: CheckResult): string {
  const label = check.tier === "documented" || check.always ? "documented" : "inferred";
  return `${check.check}: received ${cut(check.received ?? "")}, ${label} ${cut(check.expected ?? "")}`;
}

function cut(text: string, limit = 70): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length <= limit ? flat : `${flat.slice(0, limit)}…`;
}

/** A 200 KB body makes a useless console line; the JSON report keeps the whole request. */
function shorten(curl: string, limit = 2000): string {
  return curl.length <= limit ? curl : `${curl.slice(0, limit)}… (${curl.length} characters; the whole request is in the --json report)`;
}

function printSummary(out: (line: string) => void, s: ConformanceSummary, options: ConsoleReporterOptions): void {
  const ran = s.results.filter((r) => r.status !== "skipped");
  const tally = (tier: string) => {
    const rs = ran.filter((r) => r.tier === tier);
    const n = (status: ScenarioResult["status"]) => rs.filter((r) => r.status === status).length;
    return `${n("passed")} passed, ${n("failed")} failed${n("warned") ? `, ${n("warned")} warned` : ""}${n("error") ? `, ${n("error")} errors` : ""}`;
  };
  const notes = ran.flatMap((r) => r.steps.flatMap((st) => st.checks)).filter((c) => !c.ok && effectOf(c, options) === "note").length;
  out("");
  if (ran.length > 0) {
    out(`Documented behaviour: ${tally("documented")}`);
    out(`Inferred behaviour:   ${tally("inferred")}${s.strict ? " (gating: --strict)" : " (not gating; --strict makes it gate)"}`);
  }
  if (ran.length > 0 && (notes > 0 || s.strictWording)) {
    out(
      `Inferred wording:     ${notes} difference(s) from the kit's guesses${s.strictWording ? " (gating: --strict-wording)" : `, not gating (${options.verbose ? "shown above" : "--verbose shows them"}; --strict-wording gates on them)`}`,
    );
  }
  const unavailable = s.results.filter((r) => r.skipKind === "unavailable").length;
  const deselected = s.results.filter((r) => r.skipKind === "deselected").length;
  const optional = s.results.filter((r) => r.skipKind === "optional");
  const stopped = s.results.filter((r) => r.skipKind === "stopped").length;
  if (unavailable > 0) out(`Skipped: ${unavailable} (reasons above)`);
  if (deselected > 0) out(`Not selected (--only, --skip, --read-only): ${deselected}`);
  if (optional.length > 0) out(`Not run, they need otherOrganization in the target file: ${optional.map((r) => r.id).join(", ")}`);
  if (s.stoppedWriting) out(`!!! The run stopped writing: ${s.stoppedWriting}.${stopped > 0 ? ` ${stopped} scenario(s) not run.` : ""}`);
  const restores = s.results.flatMap((r) => r.restore?.accounts ?? []);
  if (restores.length > 0)
    out(
      `Restored: ${restores.filter((a) => a.ok).length} profile(s) put back as they were${s.restoreFailures ? `; ${s.restoreFailures} scenario(s) left a profile changed` : ""}`,
    );
  if (s.restoreFailures) out(`!!! A profile could not be restored: see RESTORE FAILED above, and put it back with the command given.`);
  for (const line of s.incomplete ?? []) out(`Cannot say "conforms": ${line}`);
  if (s.fatal) {
    out(s.preflight && !s.preflight.ok ? "Could not run, fix these first:" : "Could not run:");
    for (const line of s.fatal.split("\n")) out(`  • ${line}`);
  }
  const verdict = ["conforms: every gating check passed", "does NOT conform: a gating check failed", "could not run or conclude (see above)"][
    s.exitCode
  ];
  out(`${verdict} · ${(s.durationMs / 1000).toFixed(1)} s · exit ${s.exitCode}`);
}
