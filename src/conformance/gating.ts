/**
 * @module conformance/gating
 * What a failed check does to the run. A deployment must never fail on a guess of ours, and the signal must not
 * drown in our guesses:
 * - documented behaviour or wording, a 5xx, an answer that is not JSON: a failure, always;
 * - inferred behaviour (a status, the envelope, nothing changed): a warning, a failure with --strict;
 * - inferred wording (the text of a message the page does not give): a note, shown with --verbose, a failure with
 *   --strict-wording.
 */
import type { CheckResult } from "./checks/check-result.js";

export interface GatingOptions {
  /** Inferred behaviour gates too. */
  strict?: boolean;
  /** Inferred wording gates too (and inferred behaviour). */
  strictWording?: boolean;
}

export type Effect = "fail" | "warn" | "note";

export function effectOf(check: CheckResult, options: GatingOptions): Effect {
  if (check.always || check.tier === "documented") return "fail";
  if (check.aspect === "wording") return options.strictWording ? "fail" : "note";
  return options.strict || options.strictWording ? "fail" : "warn";
}

/** failed: a check gates; warned: inferred behaviour differs; passed: at most notes on inferred wording. */
export function outcomeOf(checks: readonly CheckResult[], options: GatingOptions): "failed" | "warned" | "passed" {
  const effects = checks.filter((c) => !c.ok).map((c) => effectOf(c, options));
  return effects.includes("fail") ? "failed" : effects.includes("warn") ? "warned" : "passed";
}
