import { UPDATE_PROFILE_METHOD, UPDATE_PROFILE_PATH } from "../../contract/contract.js";
import { short } from "./check-result.js";
import { bodyOf } from "./check-context.js";
import { defineCheck, failed, passed } from "./define-check.js";
import { carriedDocumentedFailure, expectedDocumentedFailure, isRefusal } from "./documented-answers.js";

export const refusalEnvelope = defineCheck({
  id: "refusal_envelope",
  title: "A refusal the page does not word is in the page's envelope too",
  tier: "inferred",
  aspect: "behaviour",
  scope: "answer",
  obligation: {
    inferred:
      "The page gives the envelope of its five failures only; openapi.yaml infers the same {status, success: false, message} for every refusal (the vendor's newer endpoints answer {status, success, error, code}).",
  },
  run(ctx) {
    const body = bodyOf(ctx);
    if (!isRefusal(ctx) || !body || expectedDocumentedFailure(ctx) || carriedDocumentedFailure(ctx)) return undefined;
    const status = ctx.response!.status;
    const validate =
      ctx.contract.responseValidator(UPDATE_PROFILE_PATH, UPDATE_PROFILE_METHOD, status) ??
      ctx.contract.schemaValidator("/components/schemas/ErrorEnvelope");
    const issues = validate(body).map((i) => `${i.path} ${i.message}`);
    if (body.status !== status) issues.push(`status ${short(body.status)} in a ${status} answer`);
    const user = (body.data as { user?: unknown } | undefined)?.user;
    if (user !== undefined && user !== null) issues.push("it carries data.user");
    return issues.length === 0 ? passed : failed(short(issues.join("; "), 300), '{"status": <the HTTP status>, "success": false, "message": "…"}');
  },
});
