/**
 * @module fake/rules/phone-uniqueness
 * "If the new phoneNumber provided is already associated with a different user, the API will return this error."
 * Different user anywhere on the platform (users are platform-wide); the user's own number may be re-sent.
 */
import type { StateView } from "../state/state-index.js";
import type { StoredUser } from "../state/types.js";
import { defineRule } from "./define-rule.js";
import type { RuleConfig } from "./rule-config.js";

/** Whether another user holds the number (false when the rule is switched off). */
export function isPhoneTaken(state: StateView, user: StoredUser, phoneNumber: unknown, config: RuleConfig): boolean {
  if (config.disabledRules.has("phoneUniqueness") || typeof phoneNumber !== "string") return false;
  const owner = state.userByPhone(phoneNumber);
  return owner !== undefined && owner.id !== user.id;
}

export const phoneUniqueness = defineRule({
  failure: "phoneNumberInUse",
  sentence: '"If the new phoneNumber provided is already associated with a different user, the API will return this error."',
  switch: "phoneUniqueness",
  refuses: ({ state, user, data, config }) => user !== undefined && isPhoneTaken(state, user, data.phoneNumber, config),
  refusalLabel: () => "phone number taken",
  exercisedBy: "a USER with a phoneNumber, and another user of the key's organization to send it",
});
