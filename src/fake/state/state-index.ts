/**
 * @module fake/state/state-index
 * Lookups the rules need, in constant time whatever the number of users: no scan on the request path.
 * Built from the state held by json-server; rebuilt after an admin write or a reset.
 */
import { hash } from "node:crypto";
import type { Case, FixtureSet, StoredUser } from "./types.js";

/** What the rules may ask of the state. */
export interface StateView {
  organizationIdForKey(apiKey: string): string | undefined;
  userByEmail(email: string): StoredUser | undefined;
  userByPhone(phoneNumber: string): StoredUser | undefined;
  casesOfUser(userId: string): readonly Case[];
}

/**
 * API keys are looked up by their SHA-256 digest, so the time a lookup takes does not depend on how many
 * leading characters of a guess match a real key (the comparison is in effect constant-time).
 */
export function keyDigest(apiKey: string): string {
  return hash("sha256", apiKey, "base64");
}

/** Emails match case-insensitively. Most are stored lower-case already: keep that string, allocate no copy. */
export function emailKey(email: string): string {
  return /[A-Z]/.test(email) ? email.toLowerCase() : email;
}

export class StateIndex implements StateView {
  private readonly orgByKeyDigest = new Map<string, string>();
  private readonly usersByEmail = new Map<string, StoredUser>();
  private readonly usersByPhone = new Map<string, StoredUser>();
  private readonly casesByUser = new Map<string, Case[]>();

  constructor(state: FixtureSet) {
    for (const key of state.apiKeys) this.orgByKeyDigest.set(keyDigest(key.id), key.organizationId);
    for (const user of state.users) {
      this.usersByEmail.set(emailKey(user.email), user);
      if (user.phoneNumber) this.usersByPhone.set(user.phoneNumber, user);
    }
    for (const c of state.cases) {
      const list = this.casesByUser.get(c.userId);
      if (list) list.push(c);
      else this.casesByUser.set(c.userId, [c]);
    }
  }

  organizationIdForKey(apiKey: string): string | undefined {
    return this.orgByKeyDigest.get(keyDigest(apiKey));
  }

  userByEmail(email: string): StoredUser | undefined {
    return this.usersByEmail.get(emailKey(email));
  }

  userByPhone(phoneNumber: string): StoredUser | undefined {
    return this.usersByPhone.get(phoneNumber);
  }

  casesOfUser(userId: string): readonly Case[] {
    return this.casesByUser.get(userId) ?? [];
  }

  /** Keeps the phone lookup true after a user's phone number changed. */
  phoneChanged(user: StoredUser, previous: string | null | undefined): void {
    if (previous && this.usersByPhone.get(previous) === user) this.usersByPhone.delete(previous);
    if (user.phoneNumber) this.usersByPhone.set(user.phoneNumber, user);
  }
}
