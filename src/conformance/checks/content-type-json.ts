import { MAX_RESPONSE_BYTES } from "../bounded-body.js";
import { short } from "./check-result.js";
import { bodyOf } from "./check-context.js";
import { defineCheck, failed, passed } from "./define-check.js";

export const contentTypeJson = defineCheck({
  id: "content_type_json",
  title: "The answer is a JSON object labelled application/json",
  tier: "documented",
  aspect: "behaviour",
  scope: "answer",
  always: true,
  obligation: {
    general:
      "Every answer the page shows is a JSON object; a client reads the label before the body (an HTML page, or JSON labelled text/html, is not an answer it can use).",
  },
  run(ctx) {
    const { response } = ctx;
    if (!response) return undefined;
    if (response.truncated)
      return failed(`a body over ${MAX_RESPONSE_BYTES} bytes (response too large; the rest was not read)`, "a JSON body in the page's envelope");
    const contentType = response.headers["content-type"] ?? "";
    if (/^application\/json\b/i.test(contentType) && bodyOf(ctx) !== undefined) return passed;
    return failed(`${response.status} ${contentType || "no Content-Type"}: ${short(response.text, 120)}`, "application/json with a JSON object body");
  },
});
