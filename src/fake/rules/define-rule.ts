/**
 * @module fake/rules/define-rule
 * A rule of UPDATE_PROFILE is one registered entry (src/fake/rules/registry.ts): the page's sentence it enforces,
 * the documented failure it answers, whether and by what name a tester can switch it off, how the start page names
 * an account it refuses, and what a fixtures account needs for the rule to be seen. Rules run in the registry's
 * order; the first that refuses answers.
 */
import type { MessageName } from "../../contract/messages.js";
import type { StateView } from "../state/state-index.js";
import type { StoredUser } from "../state/types.js";
import type { RuleConfig } from "./rule-config.js";

export interface RuleInput {
  state: StateView;
  /** The organization of the request's cv-api-key. */
  organizationId: string;
  /** The user data.email names, or undefined when there is none (only the first rule meets that). */
  user: StoredUser | undefined;
  /** The request's data, valid against the contract. */
  data: Readonly<Record<string, unknown>>;
  config: RuleConfig;
}

export interface RuleSpec<Failure extends MessageName = MessageName, Switch extends string = string> {
  /** The documented failure it answers (a message of openapi.yaml). */
  failure: Failure;
  /** The vendor page's words this rule enforces, quoted (or the kit's reading, marked "inferred:"). */
  sentence: string;
  /** The name `disableRules` / `--disable-rule` switch it off by, to prove the suite notices; absent: always on. */
  switch?: Switch;
  /** Whether it refuses this request. Rules before it have passed: from the second rule on, `user` is defined. */
  refuses(input: RuleInput): boolean;
  /** How the start page names a refused account: "not in Clinic A". */
  refusalLabel(organizationName: string, role: string): string;
  /** What a fixtures account needs for this rule to refuse it (the default fixtures have one: test/fake/rules.test.ts). */
  exercisedBy: string;
}

/** The compiler rejects an entry that lacks a part; `const` keeps its failure and switch names literal. */
export function defineRule<const Failure extends MessageName, const Switch extends string = never>(
  spec: RuleSpec<Failure, Switch>,
): RuleSpec<Failure, Switch> {
  return spec;
}
