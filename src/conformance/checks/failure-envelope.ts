import { short } from "./check-result.js";
import { bodyOf } from "./check-context.js";
import { defineCheck, failed, passed } from "./define-check.js";
import { expectedDocumentedFailure } from "./documented-answers.js";

const ERROR_ENVELOPE = "/components/schemas/ErrorEnvelope";

export const failureEnvelope = defineCheck({
  id: "failure_envelope",
  title: "A step that expects a documented failure gets the page's envelope, with no user",
  tier: "documented",
  aspect: "behaviour",
  scope: "expectation",
  obligation: { page: 'Failure Responses, each failure: {"status": 400, "success": false, "message": "…"}' },
  run(ctx) {
    const body = bodyOf(ctx);
    if (!expectedDocumentedFailure(ctx) || !ctx.response || !body) return undefined;
    const issues = ctx.contract
      .schemaValidator(ERROR_ENVELOPE)(body)
      .map((i) => `${i.path} ${i.message}`);
    if (body.status !== ctx.response.status) issues.push(`status ${short(body.status)} in a ${ctx.response.status} answer`);
    const user = (body.data as { user?: unknown } | undefined)?.user;
    if (user !== undefined && user !== null) issues.push("it carries data.user");
    return issues.length === 0
      ? passed
      : failed(short(issues.join("; "), 300), '{"status": <the HTTP status>, "success": false, "message": "…"} and no user');
  },
});
