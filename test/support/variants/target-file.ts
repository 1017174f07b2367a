// The target file the conformance suite reads, as a plain object.

export interface TargetFile {
  accounts: {
    /** USER of the main organization, no case in a locking status. */
    updatableUser: { email: string };
    /** USER of the main organization with a case ASSIGNED/IN_PROGRESS/APPROVED/REJECTED/NO_DECISION. */
    lockedUser: { email: string };
    /** USER of the main organization whose cases are only OPEN and ABANDONED (both). */
    unlockedCaseUser: { email: string };
    /** A USER of the other organization, readable with its key, and its number. */
    otherOrganizationUser: { email: string; phoneNumber: string };
    /** Main organization, role not USER. */
    staffUser: { email: string };
    /** USER of the main organization other than updatableUser, and its number. */
    phoneOwner: { email: string; phoneNumber: string };
  };
  /** A number no user has. */
  freePhoneNumber: string;
  /** An email no user has. */
  unknownEmail: string;
  /** The second organization's key comes from this environment variable, never from the file. */
  otherOrganization: { apiKeyEnv: "CV_OTHER_API_KEY" };
}
