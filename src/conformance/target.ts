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
import { compileFileSchema } from "./file-schema.js";
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

/** A target file as conformance/target.schema.json describes it (once it has been checked). */
interface TargetFile {
  baseUrl?: string;
  apiKey?: string;
  accounts?: Record<string, Account>;
  freePhoneNumber?: string;
  unknownEmail?: string;
  otherOrganization?: { apiKeyEnv?: string; apiKey?: string };
}

export const DEFAULT_UNKNOWN_EMAIL = "no-such-user.cv-conformance@example.invalid";

const checkTargetSchema = compileFileSchema("target", "", "a target file");

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

/** Checks a target file against conformance/target.schema.json, then what a schema cannot say (below). */
export function checkTarget(doc: unknown, file = "(given in code)", accountNames: readonly string[] = []): Target {
  const fail = (what: string) => new TargetError(`${file}: ${what}`);
  const problem = checkTargetSchema(doc ?? {});
  if (problem) throw fail(`${problem} See conformance/target.schema.json.`);
  const t = (doc ?? {}) as TargetFile;
  // The account names come from the loaded scenarios (a folder given with --scenarios may use its own): not in the schema.
  const known = [...new Set([...Object.keys(ACCOUNT_ROLES), ...accountNames])];
  const accounts: Record<string, Account> = {};
  for (const [name, account] of Object.entries(t.accounts ?? {})) {
    if (!known.includes(name)) throw fail(`unknown account accounts.${name}${didYouMean(name, known)}. The scenarios use ${known.join(", ")}.`);
    accounts[name] = { email: account.email, ...(account.phoneNumber !== undefined ? { phoneNumber: account.phoneNumber } : {}) };
  }
  let otherOrganization: Target["otherOrganization"];
  if (t.otherOrganization !== undefined) {
    // Kept in code for its words: the schema's dependentSchemas could require the account, but not say what it is for.
    if (!accounts.otherOrganizationUser)
      throw fail("otherOrganization needs accounts.otherOrganizationUser: a USER of that organization, which its key reads.");
    const { apiKeyEnv = DEFAULT_OTHER_KEY_ENV, apiKey } = t.otherOrganization;
    otherOrganization = { apiKeyEnv, ...(apiKey !== undefined ? { apiKey } : {}) };
  }
  // One account per part (a schema cannot compare values across mappings): two parts on one account would judge (and restore) the same profile twice over.
  const byEmail = new Map<string, string>();
  for (const [name, account] of Object.entries(accounts)) {
    const other = byEmail.get(account.email.toLowerCase());
    if (other) throw fail(`accounts.${other} and accounts.${name} are the same account (${account.email}): each part needs an account of its own.`);
    byEmail.set(account.email.toLowerCase(), name);
  }
  return {
    ...(t.baseUrl !== undefined ? { baseUrl: t.baseUrl } : {}),
    ...(t.apiKey !== undefined ? { apiKey: t.apiKey } : {}),
    accounts,
    ...(t.freePhoneNumber !== undefined ? { freePhoneNumber: t.freePhoneNumber } : {}),
    unknownEmail: t.unknownEmail ?? DEFAULT_UNKNOWN_EMAIL,
    ...(otherOrganization ? { otherOrganization } : {}),
    file,
  };
}
