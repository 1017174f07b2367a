import { UPDATE_PROFILE_METHOD, UPDATE_PROFILE_PATH } from "../../contract/contract.js";
import { short } from "./check-result.js";
import { bodyOf } from "./check-context.js";
import { defineCheck, failed, passed } from "./define-check.js";
import { isSuccess } from "./documented-answers.js";

export const successEnvelope = defineCheck({
  id: "success_envelope",
  title: "A success is the page's envelope, with the user",
  tier: "documented",
  aspect: "behaviour",
  scope: "answer",
  obligation: {
    page: 'Success Response: "a JSON object containing the updated user details": {"status": 200, "success": true, "message": …, "data": {"user": {…}}}',
  },
  run(ctx) {
    if (!isSuccess(ctx) || ctx.kind === "bystander") return undefined;
    const body = bodyOf(ctx);
    if (!body) return undefined; // content_type_json says so
    const validate = ctx.contract.responseValidator(UPDATE_PROFILE_PATH, UPDATE_PROFILE_METHOD, 200);
    // The words of the message are success_message's to judge: here only that there is one.
    const issues = (validate?.(body) ?? [])
      .filter((issue) => issue.pointer !== "/message" || typeof body.message !== "string")
      .map((i) => `${i.path} ${i.message}`);
    if (ctx.response!.status !== 200) issues.unshift(`HTTP status ${ctx.response!.status}`);
    return issues.length === 0
      ? passed
      : failed(short(issues.join("; "), 300), '{"status": 200, "success": true, "message", "data": {"user"}} (openapi.yaml UpdateProfileSuccess)');
  },
});
