/**
 * @module fake/state/state-index
 * Lookups the rules need, in constant time whatever the number of users: no scan on the request path.
 * Built from the state held by json-server; rebuilt after an admin write or a reset.
 */
import { ApiKeyTable } from "./api-key-table.js";
import type { Case, FixtureSet, StoredUser } from "./types.js";

/** What the rules may ask of the state. */
export interface StateView {
  organizationIdForKey(apiKey: string): string | undefined;
  userByEmail(email: string): StoredUser | undefined;
  userByPhone(phoneNumber: string): StoredUser | undefined;
  casesOfUser(userId: string): readonly Case[];
  /** The organization's users in the order they were added to the state (the order of creation). */
  usersOfOrganization(organizationId: string): readonly StoredUser[];
}

/** Emails match case-insensitively. Most are stored lower-case already: keep that string, allocate no copy. */
export function emailKey(email: string): string {
  return /[A-Z]/.test(email) ? email.toLowerCase() : email;
}

export class StateIndex implements StateView {
  private readonly apiKeys: ApiKeyTable;
  private readonly usersByEmail = new Map<string, StoredUser>();
  private readonly usersByPhone = new Map<string, StoredUser>();
  private readonly casesByUser = new Map<string, Case[]>();
  private readonly usersByOrganization = new Map<string, StoredUser[]>();

  constructor(state: FixtureSet) {
    this.apiKeys = new ApiKeyTable(state.apiKeys);
    for (const user of state.users) {
      this.usersByEmail.set(emailKey(user.email), user);
      if (user.phoneNumber) this.usersByPhone.set(user.phoneNumber, user);
      for (const organizationId of user.organizationIds) {
        const members = this.usersByOrganization.get(organizationId);
        if (members) members.push(user);
        else this.usersByOrganization.set(organizationId, [user]);
      }
    }
    for (const c of state.cases) {
      const list = this.casesByUser.get(c.userId);
      if (list) list.push(c);
      else this.casesByUser.set(c.userId, [c]);
    }
  }

  /** No comparison of the presented key with a stored one stops at the first difference (see api-key-table). */
  organizationIdForKey(apiKey: string): string | undefined {
    return this.apiKeys.organizationIdFor(apiKey);
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

  usersOfOrganization(organizationId: string): readonly StoredUser[] {
    return this.usersByOrganization.get(organizationId) ?? [];
  }

  /** Keeps the phone lookup true after a user's phone number changed. */
  phoneChanged(user: StoredUser, previous: string | null | undefined): void {
    if (previous && this.usersByPhone.get(previous) === user) this.usersByPhone.delete(previous);
    if (user.phoneNumber) this.usersByPhone.set(user.phoneNumber, user);
  }
}
