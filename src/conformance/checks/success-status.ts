import { short } from "./check-result.js";
import { defineCheck, verdict } from "./define-check.js";
import { expectedStatuses } from "./expected-statuses.js";

export const successStatus = defineCheck({
  id: "success_status",
  title: "An update the page allows answers 200",
  tier: "documented",
  aspect: "behaviour",
  scope: "expectation",
  obligation: { page: 'Success Response: "A successful request returns a 200 status code"' },
  run(ctx) {
    const { response } = ctx;
    const statuses = expectedStatuses(ctx.expect);
    if (!response || statuses.join() !== "200") return undefined;
    return verdict(response.status === 200, () => `${response.status} ${short(response.text, 200)}`, "200");
  },
});
