/**
 * @module fake/rules/target-user
 * Finds the user whose profile is to be updated. From the vendor page, in its order:
 * "User {email} does not exist", "User {email} does not exist in the organization",
 * "Not allowed to update the profile" (the user's role is not USER).
 */
import type { StateView } from "../state/state-index.js";
import type { StoredUser } from "../state/types.js";
import type { RuleConfig } from "./rule-config.js";

export type TargetUserResult =
  | { ok: true; user: StoredUser }
  | { ok: false; failure: "userDoesNotExist" | "userNotInOrganization" | "notAllowedToUpdateProfile" };

export function findTargetUser(state: StateView, organizationId: string, email: string, config: RuleConfig): TargetUserResult {
  // Users are unique platform-wide by email; matched case-insensitively (inferred).
  const user = state.userByEmail(email);
  if (!user) return { ok: false, failure: "userDoesNotExist" };
  if (!config.disabledRules.has("organizationScope") && !user.organizationIds.includes(organizationId)) {
    return { ok: false, failure: "userNotInOrganization" };
  }
  if (!config.disabledRules.has("roleCheck") && user.role !== "USER") {
    return { ok: false, failure: "notAllowedToUpdateProfile" };
  }
  return { ok: true, user };
}
