/**
 * @module conformance/checks/check-context
 * What a check sees of one step: the request sent, the answer, the account before and after, and what the step
 * expects. Checks read it and never send anything.
 */
import type { Contract } from "../../contract/contract.js";
import type { Tier } from "../../contract/load-spec.js";
import type { RecordedResponse } from "../exchange.js";
import type { Expectation } from "../scenario.js";

export type Profile = Record<string, unknown>;

export interface CheckContext {
  contract: Contract;
  /**
   * send: a request of the scenario; read: the account read back (through the update endpoint, or through the
   * vendor's search endpoint, which has no answer of its own to judge here); bystander: an account the scenario
   * sent nothing to, read back.
   */
  kind: "send" | "read" | "bystander";
  /** The tier of the scenario (or generated family) and the sentence it cites. */
  scenario: { tier: Tier; source: string };
  expect: Expectation;
  /** The update endpoint's answer to this step, when the step went to it. */
  response?: RecordedResponse;
  /** The data object of the update sent, when the request was one. */
  sent?: Record<string, unknown>;
  /** The account as this step shows it: the user a 200 carries, or the profile read. */
  profile?: Profile;
  /** The account before the scenario. */
  snapshot?: Profile;
  /** Every profile field the scenario sent to this account, with the value sent last. */
  sentToAccount?: Record<string, unknown>;
  /** For a bystander: which account it is. */
  account?: { name: string; email: string };
}

/** The JSON body of the answer, when it is an object. */
export function bodyOf(ctx: CheckContext): Record<string, unknown> | undefined {
  const json = ctx.response?.json;
  return json !== null && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
}

/** The profile fields an update sent with a value (null, the page's silence, is judged apart). */
export function fieldsSentWithValue(ctx: CheckContext): Record<string, unknown> {
  return Object.fromEntries(Object.entries(ctx.sent ?? {}).filter(([f, v]) => ctx.contract.profileFields.includes(f) && v !== null));
}
