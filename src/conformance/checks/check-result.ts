/**
 * @module conformance/checks/check-result
 * What every check returns: its name, its tier, and on failure a "Received … / Documented …" message.
 */
import type { Tier } from "../../contract/load-spec.js";

export interface CheckResult {
  check: string;
  tier: Tier;
  ok: boolean;
  message?: string;
}

export const pass = (check: string, tier: Tier): CheckResult => ({ check, tier, ok: true });

export const fail = (check: string, tier: Tier, received: string, documented: string): CheckResult => ({
  check,
  tier,
  ok: false,
  message: `Received: ${received}\nDocumented: ${documented}`,
});

export function short(value: unknown, limit = 300): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length} characters)` : text;
}
