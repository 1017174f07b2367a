/**
 * @module fake/rules/role-check
 * "Not allowed to update the profile": only a user whose role is USER has a profile this endpoint updates.
 */
import { defineRule } from "./define-rule.js";

export const roleCheck = defineRule({
  failure: "notAllowedToUpdateProfile",
  sentence: '"Not allowed to update the profile"',
  switch: "roleCheck",
  refuses: ({ user }) => user !== undefined && user.role !== "USER",
  refusalLabel: (_organization, role) => `not allowed (${role})`,
  exercisedBy: "a user of the key's organization whose role is not USER",
});
