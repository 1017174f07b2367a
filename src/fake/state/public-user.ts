/**
 * @module fake/state/public-user
 * The user as the success response shows it: the fields of the contract's User schema, null where the user
 * has no value, dob as an ISO date-time (the page returns "1995-10-01T00:00:00.000Z" for "1995-10-01").
 */
import type { Contract } from "../../contract/contract.js";
import type { StoredUser, User } from "./types.js";

export function publicUserFields(contract: Contract): readonly string[] {
  return Object.keys(contract.spec.components.schemas.User?.properties ?? {});
}

export function toPublicUser(user: StoredUser, fields: readonly string[]): User {
  const stored = user as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of fields) out[field] = stored[field] ?? null;
  if (typeof user.dob === "string") out.dob = `${user.dob}T00:00:00.000Z`;
  return out as User;
}
