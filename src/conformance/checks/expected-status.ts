import { short } from "./check-result.js";
import { defineCheck, verdict } from "./define-check.js";
import { expectedDocumentedFailure } from "./documented-answers.js";
import { expectedStatuses } from "./expected-statuses.js";

export const expectedStatus = defineCheck({
  id: "expected_status",
  title: "The status the step expects, where the page's own answers do not say it (they have success_status and failure_status)",
  tier: "documented",
  aspect: "behaviour",
  scope: "expectation",
  obligation: {
    scenario:
      "The sentence the scenario cites. The built-in scenarios expect other statuses only where they are inferred (an `inferred:` part, or a scenario of the inferred tier): 400 for a missing key, 415, 405, 413, from the vendor's other endpoints.",
  },
  run(ctx) {
    const statuses = expectedStatuses(ctx.expect);
    if (!ctx.response || statuses.length === 0 || statuses.join() === "200" || expectedDocumentedFailure(ctx)) return undefined;
    return verdict(statuses.includes(ctx.response.status), () => `${ctx.response!.status} ${short(ctx.response!.text, 200)}`, statuses.join(" or "));
  },
});
