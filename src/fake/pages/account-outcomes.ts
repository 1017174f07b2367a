/**
 * @module fake/pages/account-outcomes
 * What an update of each account answers with each API key, worked out by the fake's own rules (decide-profile-
 * update, phone-uniqueness) over the current state: never written per email, so it stays true after an admin
 * change, with another fixtures file, or with a rule switched off. The page adds the why from the state (the cases
 * that lock a profile, the organizations of a user).
 */
import { decideProfileUpdate, type ProfileFailure } from "../rules/decide-profile-update.js";
import { isPhoneTaken } from "../rules/phone-uniqueness.js";
import type { RuleConfig } from "../rules/rule-config.js";
import type { StateView } from "../state/state-index.js";
import type { ApiKey, Case, FixtureSet, StoredUser, UpdateProfileData } from "../state/types.js";

export type Outcome =
  /** 200: every field updates. */
  | { kind: "updates" }
  /** 400 for a request with a locked field (firstName, …); 200 for one without. */
  | { kind: "locked" }
  /** 400 for any update (not in the key's organization, not a USER, …). */
  | { kind: "refused"; failure: ProfileFailure };

export interface AccountRow {
  user: StoredUser;
  /** One per key shown, in the order of the keys. */
  outcomes: readonly Outcome[];
  /** The user's cases, in every organization, and whether each locks the profile. */
  cases: readonly { case: Case; locking: boolean }[];
  /** Another user sending this number gets "Unable to use this phone number…" (false when the rule is off). */
  phoneTakenForOthers: boolean;
}

/** Someone who is no user: to ask the phone rule whether a number is taken for everyone else. */
const SOMEONE_ELSE = { id: "\u0000someone-else" } as StoredUser;

export function accountOutcomes(state: FixtureSet, view: StateView, rules: RuleConfig, keys: readonly ApiKey[], limit: number): AccountRow[] {
  const lockedField = rules.lockedFields[0];
  const freeField = rules.profileFields.find((field) => !rules.lockedFields.includes(field) && field !== "phoneNumber");
  return state.users.slice(0, limit).map((user) => {
    const outcomes = keys.map((key): Outcome => {
      const withLocked = decide(view, key, user, lockedField, rules);
      if (withLocked.ok) return { kind: "updates" };
      if (withLocked.failure !== "demographicFieldsLocked") return { kind: "refused", failure: withLocked.failure };
      const withoutLocked = decide(view, key, user, freeField, rules);
      if (!withoutLocked.ok) return { kind: "refused", failure: withoutLocked.failure };
      return { kind: "locked" };
    });
    return {
      user,
      outcomes,
      cases: view.casesOfUser(user.id).map((c) => ({ case: c, locking: rules.lockingStatuses.has(c.status) })),
      phoneTakenForOthers: user.phoneNumber ? isPhoneTaken(view, SOMEONE_ELSE, user.phoneNumber, rules) : false,
    };
  });
}

/** The decision on an update of one field of the user (the value is never checked by the rules, only its presence). */
function decide(view: StateView, key: ApiKey, user: StoredUser, field: string | undefined, rules: RuleConfig) {
  const data = { email: user.email, ...(field ? { [field]: "x" } : {}) } as UpdateProfileData;
  return decideProfileUpdate(view, key.organizationId, data, rules);
}
