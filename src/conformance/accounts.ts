/**
 * @module conformance/accounts
 * The accounts a target file names, by the part each plays in the scenarios, and what the preflight can observe
 * of each before any scenario runs (an update that sends only the email reads a profile and changes nothing).
 */

export interface AccountRole {
  /** What this account must be on the target. */
  description: string;
  /**
   * profile: the key can read it (an email-only update answers 200 with the user).
   * exists: it exists on the platform; whether the key may read it is what its scenarios test.
   */
  expects: "profile" | "exists";
}

export const ACCOUNT_ROLES: Readonly<Record<string, AccountRole>> = {
  updatableUser: { description: "a USER of the key's organization with no case in a locking status", expects: "profile" },
  lockedUser: {
    description: "a USER of the key's organization with a case ASSIGNED, IN_PROGRESS, APPROVED, REJECTED or NO_DECISION",
    expects: "profile",
  },
  unlockedCaseUser: {
    description: "a USER of the key's organization whose cases are only OPEN or ABANDONED (best: one of each)",
    expects: "profile",
  },
  phoneOwner: { description: "a USER of the key's organization, other than updatableUser, and its phone number", expects: "profile" },
  otherOrganizationUser: {
    description:
      "a user that exists on the platform but not in the key's organization (with otherOrganization in the target file: a USER of that organization)",
    expects: "exists",
  },
  staffUser: { description: "a user of the key's organization whose role is not USER", expects: "exists" },
};

/** The role of a named account; accounts only custom scenarios use must at least exist. */
export function roleOf(name: string): AccountRole {
  return ACCOUNT_ROLES[name] ?? { description: "an account a custom scenario uses", expects: "exists" };
}
