/**
 * @module fake/rules/demographic-lock
 * "If the user has an existing case with a status of Approved, Assigned, InProgress, NoDecision, or Rejected,
 * they cannot update these primary identifier fields. This includes firstName, lastName, dob, and gender."
 *
 * Choices where the page is silent (written down in openapi.yaml and docs/contract.md):
 * - Presence, not change, fires the rule: re-sending an unchanged value is refused too, as the vendor's
 *   sibling endpoint checks "if the request includes any of firstName, lastName, dob, gender".
 * - Cases in every organization count: the page says "an existing case", and the lock protects an identity
 *   verified once for the platform-wide user, not per organization.
 * - OPEN and ABANDONED do not lock (the page lists neither).
 */
import type { StateView } from "../state/state-index.js";
import type { StoredUser } from "../state/types.js";
import { defineRule } from "./define-rule.js";
import type { RuleConfig } from "./rule-config.js";

/** The locked fields the request includes (null counts as included). */
export function lockedFieldsSent(data: Readonly<Record<string, unknown>>, config: RuleConfig): string[] {
  return config.lockedFields.filter((field) => Object.hasOwn(data, field) && data[field] !== undefined);
}

export function hasLockingCase(state: StateView, user: StoredUser, config: RuleConfig): boolean {
  return state.casesOfUser(user.id).some((c) => config.lockingStatuses.has(c.status));
}

export const demographicLock = defineRule({
  failure: "demographicFieldsLocked",
  sentence: '"Once a case is assigned, the following fields are locked: firstName, lastName, dob, and gender."',
  switch: "demographicLock",
  refuses: ({ state, user, data, config }) => user !== undefined && lockedFieldsSent(data, config).length > 0 && hasLockingCase(state, user, config),
  refusalLabel: () => "locked",
  exercisedBy: "a USER of the key's organization with a case in a locking status (ASSIGNED, IN_PROGRESS, APPROVED, REJECTED, NO_DECISION)",
});
