/**
 * @module conformance/checks/check-result
 * What every check returns: its name, its tier, its aspect and, on failure, what was received and what was
 * expected, labelled "Documented" only when the vendor page says so.
 */
import type { Tier } from "../../contract/load-spec.js";

/** behaviour: what the target does (status, envelope, what it stores). wording: the text of a message. */
export type Aspect = "behaviour" | "wording";

export interface CheckResult {
  check: string;
  tier: Tier;
  aspect: Aspect;
  /** Gates whatever the tier: a 5xx, or an answer that is not JSON. */
  always?: boolean;
  ok: boolean;
  received?: string;
  expected?: string;
  /** "Received: … / Documented: …" (or "Inferred: …"), for people. */
  message?: string;
}

export interface CheckOptions {
  aspect?: Aspect;
  always?: boolean;
}

export const pass = (check: string, tier: Tier, options: CheckOptions = {}): CheckResult => ({
  check,
  tier,
  aspect: options.aspect ?? "behaviour",
  ...(options.always ? { always: true } : {}),
  ok: true,
});

export const fail = (check: string, tier: Tier, received: string, expected: string, options: CheckOptions = {}): CheckResult =>
  withTier({ ...pass(check, tier, options), ok: false, received, expected }, tier);

/** The same check judged in another tier (an inferred scenario's expectations are inferred). */
export function withTier(check: CheckResult, tier: Tier): CheckResult {
  if (check.ok) return { ...check, tier };
  const label = tier === "documented" || check.always ? "Documented" : "Inferred";
  return { ...check, tier, message: `Received: ${check.received}\n${label}: ${check.expected}` };
}

export function short(value: unknown, limit = 300): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length} characters)` : text;
}
