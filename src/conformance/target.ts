/**
 * @module conformance/target
 * The target file: which accounts of a deployment the scenarios may use. It never has to hold the API key
 * (pass --api-key or CV_API_KEY); only the fake's public test keys belong in a committed target file.
 * It is read strictly: a misspelt key stops the run with "did you mean", because a typo would otherwise skip
 * every scenario that needs the account and let the gate pass with nothing tested.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { ACCOUNT_ROLES } from "./accounts.js";
import { didYouMean } from "./suggest.js";

export interface Account {
  email: string;
  phoneNumber?: string;
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
  /**
   * A second organization, to see what the run's key must not touch: otherOrganizationUser belongs to it, and its
   * key (from the environment variable apiKeyEnv, never from the file; apiKey only for the fake's public test keys)
   * reads that account, so writes across organizations become visible and its phone number testable.
   */
  otherOrganization?: { apiKeyEnv: string; apiKey?: string };
  file?: string;
}

/** The environment variable the second organization's key comes from, unless the target file names another. */
export const DEFAULT_OTHER_KEY_ENV = "CV_OTHER_API_KEY";

/** The second organization's key: from the variable the target file names, else the file's (a fake's public test key). */
export function otherOrganizationKey(target: Target, env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const other = target.otherOrganization;
  return other ? env[other.apiKeyEnv] || other.apiKey : undefined;
}

export class TargetError extends Error {
  override name = "TargetError";
}

export const DEFAULT_UNKNOWN_EMAIL = "no-such-user.cv-conformance@example.invalid";

const TARGET_KEYS = ["baseUrl", "apiKey", "accounts", "freePhoneNumber", "unknownEmail", "otherOrganization"];
const OTHER_ORGANIZATION_KEYS = ["apiKeyEnv", "apiKey"];
const ACCOUNT_KEYS = ["email", "phoneNumber"];
const E164 = /^\+[1-9][0-9]{1,14}$/;

/**
 * @param accountNames the account names the loaded scenarios use, besides the built-in ones: any other name is a
 * typo.
 */
export function loadTarget(file: string, accountNames: readonly string[] = []): Target {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new TargetError(`Failed to read the target file ${file}: ${(error as Error).message}`);
  }
  return checkTarget(doc, file, accountNames);
}

export function checkTarget(doc: unknown, file = "(given in code)", accountNames: readonly string[] = []): Target {
  const fail = (what: string) => new TargetError(`${file}: ${what}`);
  if (doc === null || doc === undefined) doc = {};
  if (typeof doc !== "object" || Array.isArray(doc)) throw fail(`a target file must be a mapping (${TARGET_KEYS.join(", ")}).`);
  const t = doc as Record<string, unknown>;
  for (const key of Object.keys(t)) {
    if (!TARGET_KEYS.includes(key)) throw fail(`unknown key ${key}${didYouMean(key, TARGET_KEYS)}. A target file has ${TARGET_KEYS.join(", ")}.`);
  }
  for (const key of ["baseUrl", "apiKey", "freePhoneNumber", "unknownEmail"]) {
    if (t[key] !== undefined && typeof t[key] !== "string") throw fail(`${key} must be a string.`);
  }
  if (typeof t.freePhoneNumber === "string" && !E164.test(t.freePhoneNumber)) throw fail(`freePhoneNumber must be an E.164 number like +15550009999 (received "${t.freePhoneNumber}").`);
  if (typeof t.unknownEmail === "string" && !t.unknownEmail.includes("@")) throw fail(`unknownEmail must be an email address (received "${t.unknownEmail}").`);

  const known = [...new Set([...Object.keys(ACCOUNT_ROLES), ...accountNames])];
  const rawAccounts = t.accounts ?? {};
  if (typeof rawAccounts !== "object" || Array.isArray(rawAccounts)) throw fail("accounts must be a mapping of account names to { email }.");
  const accounts: Record<string, Account> = {};
  for (const [name, value] of Object.entries(rawAccounts as Record<string, unknown>)) {
    if (!known.includes(name)) throw fail(`unknown account accounts.${name}${didYouMean(name, known)}. The scenarios use ${known.join(", ")}.`);
    if (!value || typeof value !== "object" || Array.isArray(value)) throw fail(`accounts.${name} must be a mapping like { email: qa@example.com }.`);
    const account = value as Record<string, unknown>;
    for (const key of Object.keys(account)) {
      if (!ACCOUNT_KEYS.includes(key)) throw fail(`unknown key accounts.${name}.${key}${didYouMean(key, ACCOUNT_KEYS)}. An account has ${ACCOUNT_KEYS.join(", ")}.`);
    }
    if (typeof account.email !== "string" || !account.email.includes("@")) throw fail(`accounts.${name}.email must be an email address.`);
    if (account.phoneNumber !== undefined && (typeof account.phoneNumber !== "string" || !E164.test(account.phoneNumber))) {
      throw fail(`accounts.${name}.phoneNumber must be an E.164 number like +15550001111 (received ${JSON.stringify(account.phoneNumber)}).`);
    }
    accounts[name] = { email: account.email, ...(typeof account.phoneNumber === "string" ? { phoneNumber: account.phoneNumber } : {}) };
  }
  let otherOrganization: Target["otherOrganization"];
  if (t.otherOrganization !== undefined) {
    const other = t.otherOrganization;
    if (other === null || typeof other !== "object" || Array.isArray(other)) throw fail(`otherOrganization must be a mapping like { apiKeyEnv: ${DEFAULT_OTHER_KEY_ENV} }.`);
    for (const key of Object.keys(other)) {
      if (!OTHER_ORGANIZATION_KEYS.includes(key)) throw fail(`unknown key otherOrganization.${key}${didYouMean(key, OTHER_ORGANIZATION_KEYS)}. It has ${OTHER_ORGANIZATION_KEYS.join(", ")}.`);
    }
    const { apiKeyEnv = DEFAULT_OTHER_KEY_ENV, apiKey } = other as Record<string, unknown>;
    if (typeof apiKeyEnv !== "string" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(apiKeyEnv)) throw fail("otherOrganization.apiKeyEnv must name an environment variable (letters, digits and _).");
    if (apiKey !== undefined && typeof apiKey !== "string") throw fail("otherOrganization.apiKey must be a string.");
    if (!accounts.otherOrganizationUser) throw fail("otherOrganization needs accounts.otherOrganizationUser: a USER of that organization, which its key reads.");
    otherOrganization = { apiKeyEnv, ...(typeof apiKey === "string" ? { apiKey } : {}) };
  }
  // One account per part: two parts on one account would judge (and restore) the same profile twice over.
  const byEmail = new Map<string, string>();
  for (const [name, account] of Object.entries(accounts)) {
    const other = byEmail.get(account.email.toLowerCase());
    if (other) throw fail(`accounts.${other} and accounts.${name} are the same account (${account.email}): each part needs an account of its own.`);
    byEmail.set(account.email.toLowerCase(), name);
  }
  return {
    ...(typeof t.baseUrl === "string" ? { baseUrl: t.baseUrl } : {}),
    ...(typeof t.apiKey === "string" ? { apiKey: t.apiKey } : {}),
    accounts,
    ...(typeof t.freePhoneNumber === "string" ? { freePhoneNumber: t.freePhoneNumber } : {}),
    unknownEmail: typeof t.unknownEmail === "string" ? t.unknownEmail : DEFAULT_UNKNOWN_EMAIL,
    ...(otherOrganization ? { otherOrganization } : {}),
    file,
  };
}
