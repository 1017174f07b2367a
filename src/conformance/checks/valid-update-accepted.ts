import { short } from "./check-result.js";
import { defineCheck, verdict } from "./define-check.js";

export const validUpdateAccepted = defineCheck({
  id: "valid_update_accepted",
  title: "An update whose every value openapi.yaml allows is accepted",
  tier: "inferred",
  aspect: "behaviour",
  scope: "expectation",
  obligation: {
    inferred:
      "The page sets no length limits and few formats; a service may refuse more than openapi.yaml does (ZIP+4 only, shorter names), which is its own choice.",
  },
  run: ({ expect, response }) =>
    expect.applied && response
      ? verdict(response.status === 200, () => `${response.status} ${short(response.text, 160)}`, "200: every value is valid for openapi.yaml")
      : undefined,
});
