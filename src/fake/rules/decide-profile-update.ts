/**
 * @module fake/rules/decide-profile-update
 * The business rules of UPDATE_PROFILE (src/fake/rules/registry.ts), in the registry's order, over a read-only view
 * of the state. It decides; it writes nothing. The caller commits the patch only when the decision is ok.
 *
 * Order (the first that refuses answers): user exists → user in the key's organization → role is USER →
 * demographic lock → phone number free. Authentication and body validation come before, in the HTTP adapter.
 */
import type { StateView } from "../state/state-index.js";
import type { StoredUser, UpdateProfileData } from "../state/types.js";
import { profilePatch, type ProfilePatch } from "./profile-patch.js";
import { PROFILE_RULES, type ProfileFailure } from "./registry.js";
import type { RuleConfig } from "./rule-config.js";

export type { ProfileFailure } from "./registry.js";

export type ProfileDecision = { ok: true; user: StoredUser; patch: ProfilePatch } | { ok: false; failure: ProfileFailure };

/** `data` must already be valid against the contract's UpdateProfileData. */
export function decideProfileUpdate(state: StateView, organizationId: string, data: UpdateProfileData, config: RuleConfig): ProfileDecision {
  const fields = data as unknown as Readonly<Record<string, unknown>>;
  const input = { state, organizationId, user: state.userByEmail(data.email), data: fields, config };
  for (const rule of PROFILE_RULES) {
    if ("switch" in rule && rule.switch && config.disabledRules.has(rule.switch)) continue;
    if (rule.refuses(input)) return { ok: false, failure: rule.failure };
  }
  // The first rule refuses a request that names no user.
  return { ok: true, user: input.user!, patch: profilePatch(fields, config) };
}
