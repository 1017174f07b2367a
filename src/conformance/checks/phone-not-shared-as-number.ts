import { defineCheck, verdict } from "./define-check.js";
import { phoneDigits } from "./normal-form.js";

export const phoneNotSharedAsNumber = defineCheck({
  id: "phone_not_shared_as_number",
  title: "Nor the same number written otherwise (spaces, dashes)",
  tier: "inferred",
  aspect: "behaviour",
  scope: "expectation",
  obligation: {
    inferred:
      "The page does not say how numbers compare; a number written with spaces reaches the same phone, so the kit expects numbers compared as numbers.",
  },
  run({ expect, profile }) {
    if (expect.notPhoneOf === undefined || !profile || typeof profile.phoneNumber !== "string") return undefined;
    return verdict(
      phoneDigits(profile.phoneNumber) !== phoneDigits(expect.notPhoneOf),
      () => `phoneNumber=${profile.phoneNumber}`,
      `not the number ${expect.notPhoneOf}, in any writing`,
    );
  },
});
