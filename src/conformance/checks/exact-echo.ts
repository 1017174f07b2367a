import { compareFields } from "./compare-fields.js";
import { defineCheck } from "./define-check.js";
import { isSuccess } from "./documented-answers.js";
import { sameStored } from "./normal-form.js";
import { fieldsToShow } from "./update-applied.js";

export const exactEcho = defineCheck({
  id: "exact_echo",
  title: "A 200 shows every field exactly as sent (dob as its date-time)",
  tier: "inferred",
  aspect: "behaviour",
  scope: "answer",
  obligation: {
    inferred:
      "The page promises the updated user details, not an echo; openapi.yaml infers values are stored as sent (its patterns already refuse what a service would change).",
  },
  run(ctx) {
    if (ctx.kind !== "send" || !isSuccess(ctx) || !ctx.profile) return undefined;
    const fields = fieldsToShow(ctx);
    return Object.keys(fields).length === 0 ? undefined : compareFields(fields, ctx.profile, sameStored);
  },
});
