/**
 * @module client/failure-kind
 * Which failure an answer is, by its message: so a lock can be told from a phone number in use without comparing
 * strings by hand. The messages are the contract's (generated from openapi.yaml), documented ones first.
 */
import { templateMatcher } from "../contract/messages.js";
import { MESSAGES, type MessageName } from "../generated/messages.js";

/** A message the contract names; "notJson" for an answer that was not JSON; "unknown" for any other. */
export type FailureKind = MessageName | "notJson" | "unknown";

const ORDER = (Object.keys(MESSAGES) as MessageName[]).sort(
  (a, b) => Number(MESSAGES[b].tier === "documented") - Number(MESSAGES[a].tier === "documented"),
);
/** Compiled once: matching is linear in the message's length, with a cap (see templateMatcher). */
const MATCHERS = ORDER.map((name) => [name, templateMatcher(MESSAGES[name].template, {})] as const);

/** @example if (failureKind(error) === "demographicFieldsLocked") askSupportToChangeTheName(); */
export function failureKind(error: unknown): FailureKind {
  if (typeof error === "string") return "notJson";
  const message = (error as { message?: unknown } | null | undefined)?.message;
  if (typeof message !== "string") return "unknown";
  return MATCHERS.find(([, matches]) => matches(message))?.[0] ?? "unknown";
}
