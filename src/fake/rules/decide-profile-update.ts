/**
 * @module fake/rules/decide-profile-update
 * The business rules of UPDATE_PROFILE in one fixed order, over a read-only view of the state.
 * It decides; it writes nothing. The caller commits the patch only when the decision is ok.
 *
 * Order (the first that fails answers): user exists → user in the key's organization → role is USER →
 * demographic lock → phone number free. Authentication and body validation come before, in the HTTP adapter.
 */
import type { StateView } from "../state/state-index.js";
import type { StoredUser, UpdateProfileData } from "../state/types.js";
import { isLockedOut } from "./demographic-lock.js";
import { isPhoneTaken } from "./phone-uniqueness.js";
import { profilePatch, type ProfilePatch } from "./profile-patch.js";
import type { RuleConfig } from "./rule-config.js";
import { findTargetUser } from "./target-user.js";

export type ProfileFailure =
  | "userDoesNotExist"
  | "userNotInOrganization"
  | "notAllowedToUpdateProfile"
  | "demographicFieldsLocked"
  | "phoneNumberInUse";

export type ProfileDecision = { ok: true; user: StoredUser; patch: ProfilePatch } | { ok: false; failure: ProfileFailure };

/** `data` must already be valid against the contract's UpdateProfileData. */
export function decideProfileUpdate(state: StateView, organizationId: string, data: UpdateProfileData, config: RuleConfig): ProfileDecision {
  const target = findTargetUser(state, organizationId, data.email, config);
  if (!target.ok) return target;
  const fields = data as unknown as Readonly<Record<string, unknown>>;
  if (isLockedOut(state, target.user, fields, config)) return { ok: false, failure: "demographicFieldsLocked" };
  if (isPhoneTaken(state, target.user, data.phoneNumber, config)) return { ok: false, failure: "phoneNumberInUse" };
  return { ok: true, user: target.user, patch: profilePatch(fields, config) };
}
