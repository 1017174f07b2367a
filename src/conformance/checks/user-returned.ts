import { short } from "./check-result.js";
import { defineCheck, failed } from "./define-check.js";

export const userReturned = defineCheck({
  id: "user_returned",
  title: "A step that looks at the user gets one",
  tier: "documented",
  aspect: "behaviour",
  scope: "expectation",
  obligation: { page: 'Success Response: "a JSON object containing the updated user details"' },
  run(ctx) {
    const { expect } = ctx;
    const wantsUser = expect.user || expect.userLacks || expect.unchanged || expect.othersUnchanged || expect.showsUpdate;
    if (!wantsUser || ctx.profile || ctx.kind === "bystander") return undefined;
    return failed(ctx.response ? `${ctx.response.status} ${short(ctx.response.text, 200)}` : "no user", "a body with data.user");
  },
});
