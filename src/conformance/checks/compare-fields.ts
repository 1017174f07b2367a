/**
 * @module conformance/checks/compare-fields
 * Compares the fields a check expects with a user as the target returned it, under one reading of "the same"
 * (normal-form: stored, or normal form). A missing field equals null.
 */
import { short } from "./check-result.js";
import { failed, passed, type Verdict } from "./define-check.js";

export type Sameness = (field: string, expected: unknown, received: unknown) => boolean;

export function compareFields(expected: Readonly<Record<string, unknown>>, user: Readonly<Record<string, unknown>>, same: Sameness): Verdict {
  const differing = Object.keys(expected).filter((key) => !same(key, expected[key], user[key]));
  if (differing.length === 0) return passed;
  const show = (record: Readonly<Record<string, unknown>>) => differing.map((k) => `${k}=${short(record[k] ?? null, 60)}`).join(", ");
  return failed(show(user), show(expected));
}

/** Only the contract's profile fields are compared: extra fields a service may add (updatedAt) move freely. */
export function pick(record: Readonly<Record<string, unknown>>, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f, record[f] ?? null]));
}
