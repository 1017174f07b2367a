/**
 * @module fake/rules/profile-patch
 * What a valid request writes: only the profile fields of the contract, only those sent.
 * Unknown keys, email, role, memberships, ids and prototype keys are never copied.
 */
import type { StoredUser } from "../state/types.js";
import type { RuleConfig } from "./rule-config.js";

export type ProfilePatch = Partial<
  Pick<StoredUser, "firstName" | "lastName" | "dob" | "gender" | "phoneNumber" | "address" | "address2" | "city" | "state" | "country" | "postalCode">
>;

export function profilePatch(data: Readonly<Record<string, unknown>>, config: RuleConfig): ProfilePatch {
  // Only the contract's field names are ever used as keys, so "__proto__" or "constructor" in the body can never
  // reach an object's prototype; Object.hasOwn ignores inherited properties.
  const patch: Record<string, unknown> = {};
  for (const field of config.profileFields) {
    if (Object.hasOwn(data, field) && data[field] !== undefined) patch[field] = data[field];
  }
  return patch as ProfilePatch;
}
