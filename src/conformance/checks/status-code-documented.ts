import { UPDATE_PROFILE_METHOD, UPDATE_PROFILE_PATH } from "../../contract/contract.js";
import { defineCheck, verdict } from "./define-check.js";

export const statusCodeDocumented = defineCheck({
  id: "status_code_documented",
  title: "The status is one openapi.yaml lists for the endpoint",
  tier: "inferred",
  aspect: "behaviour",
  scope: "answer",
  obligation: {
    inferred:
      "The page documents 200 and 400; openapi.yaml adds the statuses a service plausibly sends where the page is silent (401, 403, 404, 405, 413, 415, 422, 429).",
  },
  run(ctx) {
    if (!ctx.response) return undefined;
    // A deployment is judged without the statuses only the fake sends (injected faults).
    const listed = ctx.contract.documentedStatuses(UPDATE_PROFILE_PATH, UPDATE_PROFILE_METHOD, "deployment");
    return verdict(listed.includes(ctx.response.status), () => String(ctx.response!.status), `a status openapi.yaml lists: ${listed.join(", ")}`);
  },
});
