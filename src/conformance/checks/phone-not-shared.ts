import { defineCheck, verdict } from "./define-check.js";

export const phoneNotShared = defineCheck({
  id: "phone_not_shared",
  title: "No user is given a phone number another user has",
  tier: "documented",
  aspect: "behaviour",
  scope: "expectation",
  obligation: {
    page: '"If the new phoneNumber provided is already associated with a different user, the API will return this error." (Unable to use this phone number)',
  },
  run({ expect, profile }) {
    if (expect.notPhoneOf === undefined || !profile) return undefined;
    return verdict(
      profile.phoneNumber !== expect.notPhoneOf,
      () => `phoneNumber=${String(profile.phoneNumber)}, the number of another user`,
      `never ${expect.notPhoneOf}: it belongs to another user`,
    );
  },
});
