/**
 * @module fake/rules/organization-scope
 * "User {email} does not exist in the organization": the user must belong to the organization of the cv-api-key.
 */
import { defineRule } from "./define-rule.js";

export const organizationScope = defineRule({
  failure: "userNotInOrganization",
  sentence: '"User {email} does not exist in the organization"',
  switch: "organizationScope",
  refuses: ({ user, organizationId }) => user !== undefined && !user.organizationIds.includes(organizationId),
  refusalLabel: (organization) => `not in ${organization}`,
  exercisedBy: "a user of another organization than the key's",
});
