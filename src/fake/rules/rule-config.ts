/**
 * @module fake/rules/rule-config
 * What the rules need to know about the contract, handed to them as plain data.
 */
import type { Contract } from "../../contract/contract.js";

import type { RuleName } from "./registry.js";

export { RULE_NAMES, type RuleName } from "./registry.js";

export interface RuleConfig {
  /** Fields UPDATE_PROFILE may write (never email, role or memberships). */
  profileFields: readonly string[];
  /** firstName, lastName, dob, gender. */
  lockedFields: readonly string[];
  /** ASSIGNED, IN_PROGRESS, APPROVED, REJECTED, NO_DECISION. */
  lockingStatuses: ReadonlySet<string>;
  disabledRules: ReadonlySet<RuleName>;
}

export function ruleConfigFrom(contract: Contract, disabledRules: readonly RuleName[] = []): RuleConfig {
  return {
    profileFields: contract.profileFields,
    lockedFields: contract.lockedFields,
    lockingStatuses: new Set(contract.lockingStatuses),
    disabledRules: new Set(disabledRules),
  };
}
