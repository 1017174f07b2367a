import { compareFields, pick } from "./compare-fields.js";
import { defineCheck, failed } from "./define-check.js";
import { sameStored } from "./normal-form.js";

export const otherAccountsUnchanged = defineCheck({
  id: "other_accounts_unchanged",
  title: "An update changes the user it names, no other",
  tier: "documented",
  aspect: "behaviour",
  scope: "answer",
  obligation: { page: '"Use this API to update the profile information for an existing user", the one its data.email names.' },
  run({ kind, snapshot, profile, contract, account }) {
    if (kind !== "bystander" || !snapshot || !profile) return undefined;
    const result = compareFields(pick(snapshot, contract.profileFields), profile, sameStored);
    if (result.ok) return result;
    const changed = contract.profileFields.filter((f) => !sameStored(f, snapshot[f], profile[f]));
    return failed(`accounts.${account?.name} (${account?.email}) changed: ${changed.join(", ")}`, "an update changes the user it names, no other");
  },
});
