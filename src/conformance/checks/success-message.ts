import { short } from "./check-result.js";
import { bodyOf } from "./check-context.js";
import { defineCheck, verdict } from "./define-check.js";

export const successMessage = defineCheck({
  id: "success_message",
  title: 'A success says "Profile updated successfully"',
  tier: "documented",
  aspect: "wording",
  scope: "expectation",
  obligation: { page: 'Success Response: "message": "Profile updated successfully"' },
  run(ctx) {
    if (!ctx.expect.successMessage || !ctx.response) return undefined;
    const message = bodyOf(ctx)?.message;
    return verdict(message === ctx.contract.successMessage, () => short(JSON.stringify(message)), JSON.stringify(ctx.contract.successMessage));
  },
});
