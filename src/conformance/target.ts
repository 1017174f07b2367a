/**
 * @module conformance/target
 * The target file: which accounts of a deployment the scenarios may use. It never has to hold the API key
 * (pass --api-key or CV_API_KEY); only the fake's public test keys belong in a committed target file.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";

export interface Account {
  email: string;
  phoneNumber?: string;
  [key: string]: unknown;
}

export interface Target {
  baseUrl?: string;
  apiKey?: string;
  /** updatableUser, lockedUser, otherOrganizationUser, staffUser, phoneOwner, unlockedCaseUser, … */
  accounts: Record<string, Account>;
  /** A phone number no user has, for a full update that changes the phone. */
  freePhoneNumber?: string;
  /** An email no user has; a made-up one by default. */
  unknownEmail: string;
  file?: string;
}

export class TargetError extends Error {
  override name = "TargetError";
}

export const DEFAULT_UNKNOWN_EMAIL = "no-such-user.cv-conformance@example.invalid";

export function loadTarget(file: string): Target {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new TargetError(`Failed to read the target file ${file}: ${(error as Error).message}`);
  }
  return checkTarget(doc, file);
}

export function checkTarget(doc: unknown, file = "(given in code)"): Target {
  const t = (doc ?? {}) as Partial<Target>;
  if (typeof t !== "object" || Array.isArray(t)) throw new TargetError(`${file}: a target must be a mapping.`);
  const accounts = t.accounts ?? {};
  for (const [name, account] of Object.entries(accounts)) {
    if (typeof account?.email !== "string" || !account.email.includes("@")) {
      throw new TargetError(`${file}: accounts.${name}.email must be an email address.`);
    }
  }
  return {
    ...(typeof t.baseUrl === "string" ? { baseUrl: t.baseUrl } : {}),
    ...(typeof t.apiKey === "string" ? { apiKey: t.apiKey } : {}),
    accounts,
    ...(typeof t.freePhoneNumber === "string" ? { freePhoneNumber: t.freePhoneNumber } : {}),
    unknownEmail: typeof t.unknownEmail === "string" ? t.unknownEmail : DEFAULT_UNKNOWN_EMAIL,
    file,
  };
}
