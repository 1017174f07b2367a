// The page's words, exactly: the five documented failures and the success message.

export const DOCUMENTED_FAILURES = ["userMissing", "notInOrganization", "notAllowed", "locked", "phoneTaken"] as const;
export type DocumentedFailure = (typeof DOCUMENTED_FAILURES)[number];

export const documentedMessage = (failure: DocumentedFailure, email: string): string =>
  ({
    userMissing: `User ${email} does not exist`,
    notInOrganization: `User ${email} does not exist in the organization`,
    notAllowed: "Not allowed to update the profile",
    locked: "Cannot update user profile fields (firstName, lastName, dob, gender) for user with cases",
    phoneTaken: "Unable to use this phone number. Please use a different one",
  })[failure];

/** Codes a deployment may add beside the page's message (knob documentedCodes). */
export const DOCUMENTED_CODES: Record<DocumentedFailure, string> = {
  userMissing: "USER_NOT_FOUND",
  notInOrganization: "USER_NOT_IN_ORGANIZATION",
  notAllowed: "FORBIDDEN_ROLE",
  locked: "PROFILE_LOCKED",
  phoneTaken: "PHONE_NUMBER_IN_USE",
};

export const SUCCESS_MESSAGE = "Profile updated successfully";
