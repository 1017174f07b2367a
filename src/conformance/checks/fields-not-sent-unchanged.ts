import { compareFields, pick } from "./compare-fields.js";
import { defineCheck } from "./define-check.js";
import { sameStored } from "./normal-form.js";

export const fieldsNotSentUnchanged = defineCheck({
  id: "fields_not_sent_unchanged",
  title: "An update leaves every field it does not send as it was",
  tier: "documented",
  aspect: "behaviour",
  scope: "expectation",
  destructive: true,
  obligation: {
    page: 'data: "An object containing the user\'s profile details to be updated", of which only email is Required: a field left out is not one to update.',
  },
  run({ expect, snapshot, profile, contract, sentToAccount }) {
    if (!expect.othersUnchanged || !snapshot || !profile) return undefined;
    const others = contract.profileFields.filter((f) => !Object.hasOwn(sentToAccount ?? {}, f));
    return compareFields(pick(snapshot, others), profile, sameStored);
  },
});
