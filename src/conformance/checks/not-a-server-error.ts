import { short } from "./check-result.js";
import { defineCheck, verdict } from "./define-check.js";

export const notAServerError = defineCheck({
  id: "not_a_server_error",
  title: "No answer is a 5xx",
  tier: "documented",
  aspect: "behaviour",
  scope: "answer",
  always: true,
  obligation: {
    general: "Every failure the page documents is a 400 with a message; a 5xx tells the integrator nothing it can fix, whatever the request.",
  },
  run: ({ response }) =>
    response &&
    verdict(response.status < 500, () => `${response.status} ${short(response.text)}`, "no 5xx: every failure the page documents is a 400"),
});
