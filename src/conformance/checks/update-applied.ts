import { fieldsSentWithValue, type CheckContext } from "./check-context.js";
import { compareFields } from "./compare-fields.js";
import { defineCheck } from "./define-check.js";
import { isSuccess } from "./documented-answers.js";
import { sameNormalForm } from "./normal-form.js";

/** The fields a 200 must show: each sent with a value, and those the step names. */
export function fieldsToShow(ctx: CheckContext): Record<string, unknown> {
  const fields = { ...fieldsSentWithValue(ctx), ...(ctx.expect.user ?? {}) };
  if (typeof ctx.sent?.email === "string") fields.email = ctx.sent.email;
  return fields;
}

export const updateApplied = defineCheck({
  id: "update_applied",
  title: "A 200 shows every field sent, as the service stores it (trimmed, its case, E.164, a date-time)",
  tier: "documented",
  aspect: "behaviour",
  scope: "answer",
  obligation: { page: 'Success Response: "A successful request returns a 200 status code and a JSON object containing the updated user details."' },
  run(ctx) {
    if (ctx.kind !== "send" || !isSuccess(ctx) || !ctx.profile) return undefined;
    const fields = fieldsToShow(ctx);
    return Object.keys(fields).length === 0 ? undefined : compareFields(fields, ctx.profile, sameNormalForm);
  },
});
