/**
 * @module fake/rules/user-exists
 * "User {email} does not exist". Users are unique platform-wide by email, matched case-insensitively (inferred).
 */
import { defineRule } from "./define-rule.js";

export const userExists = defineRule({
  failure: "userDoesNotExist",
  sentence: '"User {email} does not exist"',
  refuses: ({ user }) => user === undefined,
  refusalLabel: () => "no such user",
  exercisedBy: "none: any email no account has",
});
