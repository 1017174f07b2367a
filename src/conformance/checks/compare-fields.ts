/**
 * @module conformance/checks/compare-fields
 * Compares the fields a check expects with a user as the target returned it. A missing field equals null; emails
 * match in any case (they are matched case-insensitively); dob is compared by its date, since the page sends
 * YYYY-MM-DD and returns an ISO date-time (erratum E6).
 */
import { isDeepStrictEqual } from "node:util";
import type { Tier } from "../../contract/load-spec.js";
import { fail, pass, short, type CheckResult } from "./check-result.js";

export function compareFields(check: string, tier: Tier, expected: Record<string, unknown>, user: Record<string, unknown>): CheckResult {
  const differing = Object.keys(expected).filter((key) => !sameValue(key, user[key], expected[key]));
  if (differing.length === 0) return pass(check, tier);
  const received = differing.map((k) => `${k}=${short(user[k] ?? null, 60)}`).join(", ");
  const wanted = differing.map((k) => `${k}=${short(expected[k] ?? null, 60)}`).join(", ");
  return fail(check, tier, received, wanted);
}

function sameValue(field: string, received: unknown, expected: unknown): boolean {
  const a = normalize(field, received);
  const b = normalize(field, expected);
  return isDeepStrictEqual(a, b);
}

function normalize(field: string, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") return value;
  if (field === "email") return value.toLowerCase();
  if (field === "dob" && /^\d{4}-\d{2}-\d{2}/.test(value)) return value.slice(0, 10);
  return value;
}
