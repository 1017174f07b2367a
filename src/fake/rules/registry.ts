/**
 * @module fake/rules/registry
 * The rules of UPDATE_PROFILE, in the order they answer (the page's order of failures). A new rule is one file
 * (defineRule) and one line here; the failures, the switch names and the start page's labels come from this list.
 */
import { demographicLock } from "./demographic-lock.js";
import { organizationScope } from "./organization-scope.js";
import { phoneUniqueness } from "./phone-uniqueness.js";
import { roleCheck } from "./role-check.js";
import { userExists } from "./user-exists.js";

export const PROFILE_RULES = [userExists, organizationScope, roleCheck, demographicLock, phoneUniqueness] as const;

type Rule = (typeof PROFILE_RULES)[number];
/** The failures an update valid against the schema can meet. */
export type ProfileFailure = Rule["failure"];
/** The rules that can be switched off, to prove that the conformance suite notices (fault injection). */
export type RuleName = NonNullable<Rule["switch"]>;

export const PROFILE_FAILURES: readonly ProfileFailure[] = PROFILE_RULES.map((rule) => rule.failure);
export const RULE_NAMES: readonly RuleName[] = PROFILE_RULES.flatMap((rule) => ("switch" in rule && rule.switch ? [rule.switch as RuleName] : []));
