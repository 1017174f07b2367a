import { defineCheck, verdict } from "./define-check.js";

export const apiKeyNotEchoed = defineCheck({
  id: "api_key_not_echoed",
  title: "No answer carries the cv-api-key it was sent, or a piece of it",
  tier: "inferred",
  aspect: "behaviour",
  scope: "answer",
  obligation: {
    inferred:
      "The page says nothing of echoing the key; a key in an answer ends in logs and reports, so the kit expects none (it redacts it either way).",
  },
  run: ({ response }) => response && verdict(!response.echoesKey, () => "the answer contains the cv-api-key that was sent", "a key is never echoed"),
});
