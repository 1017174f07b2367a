/**
 * @module fake/state/public-user
 * The user as the success response shows it: the fields of the contract's User schema, null where the user
 * has no value, dob as an ISO date-time (the page returns "1995-10-01T00:00:00.000Z" for "1995-10-01"); the search
 * users page shows dob as stored, "1995-10-01".
 */
import type { Contract } from "../../contract/contract.js";
import { jsonValue } from "../core/json-text.js";
import type { StoredUser } from "./types.js";

export function publicUserFields(contract: Contract): readonly string[] {
  return Object.keys(contract.spec.components.schemas.User?.properties ?? {});
}

/**
 * A writer of the user's JSON text, field by field in the contract's order, with no object built in between: a
 * success answer's JSON.stringify cost more than most of the rest of the fake's own work (docs/benchmarks.md).
 */
export function compilePublicUserJson(fields: readonly string[], dob: DobForm = "dateTime"): (user: StoredUser) => string {
  if (fields.length === 0) return () => "{}";
  const valueOf = dob === "dateTime" ? publicValue : storedValue;
  const prefixes = fields.map((field, i) => `${i === 0 ? "{" : ","}${JSON.stringify(field)}:`);
  return (user) => {
    let text = "";
    for (let i = 0; i < fields.length; i++) text += prefixes[i]! + jsonValue(valueOf(user, fields[i]!));
    return `${text}}`;
  };
}

/** How dob is written: as the update's answer shows it (an ISO date-time), or as the search's (YYYY-MM-DD, as stored). */
export type DobForm = "dateTime" | "date";

function publicValue(user: StoredUser, field: string): unknown {
  if (field === "dob" && typeof user.dob === "string") return `${user.dob}T00:00:00.000Z`;
  return storedValue(user, field);
}

function storedValue(user: StoredUser, field: string): unknown {
  return (user as unknown as Record<string, unknown>)[field] ?? null;
}
