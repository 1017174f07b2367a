import { compareFields, pick } from "./compare-fields.js";
import { defineCheck } from "./define-check.js";
import { sameStored } from "./normal-form.js";

export const nothingChanged = defineCheck({
  id: "nothing_changed",
  title: "A refused request (or a read) changes nothing",
  tier: "documented",
  aspect: "behaviour",
  scope: "expectation",
  obligation: {
    page: 'Failure Responses: "A request can fail for several reasons": a request that fails is not applied, and one that sends no field changes none.',
  },
  run({ expect, snapshot, profile, contract }) {
    if (!expect.unchanged || !snapshot || !profile) return undefined;
    return compareFields(pick(snapshot, contract.profileFields), profile, sameStored);
  },
});
