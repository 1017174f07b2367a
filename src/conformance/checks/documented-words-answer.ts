import { short } from "./check-result.js";
import { bodyOf } from "./check-context.js";
import { defineCheck, failed, passed } from "./define-check.js";
import { carriedDocumentedFailure, expectedDocumentedFailure } from "./documented-answers.js";

const ERROR_ENVELOPE = "/components/schemas/ErrorEnvelope";

export const documentedWordsAnswer = defineCheck({
  id: "documented_words_answer",
  title: "An answer with the words of a documented failure is that failure: 400, in the page's envelope, whatever was asked",
  tier: "documented",
  aspect: "behaviour",
  scope: "answer",
  obligation: {
    page: 'Failure Responses: each failure is "a 400 Bad Request status code with an error message": {"status": 400, "success": false, "message": "…"}',
  },
  run(ctx) {
    const name = ctx.kind === "send" ? carriedDocumentedFailure(ctx) : undefined;
    const body = bodyOf(ctx);
    // Where the step expects it, failure_status and failure_envelope judge it.
    if (!name || !ctx.response || !body || expectedDocumentedFailure(ctx) === name) return undefined;
    const status = ctx.contract.message(name).status;
    const issues = ctx.response.status === status ? [] : [`HTTP status ${ctx.response.status}`];
    issues.push(
      ...ctx.contract
        .schemaValidator(ERROR_ENVELOPE)(body)
        .map((i) => `${i.path} ${i.message}`),
    );
    if (body.status !== ctx.response.status) issues.push(`status ${short(body.status)} in a ${ctx.response.status} answer`);
    const user = (body.data as { user?: unknown } | undefined)?.user;
    if (user !== undefined && user !== null) issues.push("it carries data.user");
    return issues.length === 0
      ? passed
      : failed(short(issues.join("; "), 300), `${status} {"status": ${status}, "success": false, "message": "…"}, as the page answers "${name}"`);
  },
});
