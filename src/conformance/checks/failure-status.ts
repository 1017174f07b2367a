import { short } from "./check-result.js";
import { defineCheck, verdict } from "./define-check.js";
import { expectedDocumentedFailure } from "./documented-answers.js";

export const failureStatus = defineCheck({
  id: "failure_status",
  title: "A step that expects a documented failure gets it with 400",
  tier: "documented",
  aspect: "behaviour",
  scope: "expectation",
  obligation: { page: 'Failure Responses: "A request can fail for several reasons, returning a 400 Bad Request status code with an error message."' },
  run(ctx) {
    const name = expectedDocumentedFailure(ctx);
    if (!name || !ctx.response) return undefined;
    const status = ctx.contract.message(name).status;
    return verdict(
      ctx.response.status === status,
      () => `${ctx.response!.status} ${short(ctx.response!.text, 200)}`,
      `${status}, as the page answers "${name}"`,
    );
  },
});
