import { compareFields } from "./compare-fields.js";
import { defineCheck } from "./define-check.js";
import { sameNormalForm } from "./normal-form.js";

export const updateKept = defineCheck({
  id: "update_kept",
  title: "A read after an update shows every field it sent (in the service's normal form)",
  tier: "documented",
  aspect: "behaviour",
  scope: "expectation",
  obligation: { page: '"Use this API to update the profile information for an existing user." An update answered 200 is kept.' },
  run({ expect, profile, sentToAccount }) {
    if (!expect.showsUpdate || !profile || !sentToAccount) return undefined;
    // null is the page's silence: cleared, refused or ignored are all a service's to choose.
    const sent = Object.fromEntries(Object.entries(sentToAccount).filter(([, v]) => v !== null));
    return compareFields(sent, profile, sameNormalForm);
  },
});
