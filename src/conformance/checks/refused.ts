import { short } from "./check-result.js";
import { bodyOf } from "./check-context.js";
import { defineCheck, verdict } from "./define-check.js";
import { isRefusal } from "./documented-answers.js";

export const refused = defineCheck({
  id: "refused",
  title: "A request that breaks a rule the page states is refused: a 4xx with a JSON body",
  tier: "documented",
  aspect: "behaviour",
  scope: "expectation",
  obligation: {
    scenario:
      "The rule of the page the scenario cites (the headers table's Required, the data table's formats, the body's shape, the lock). Which 4xx, which envelope and which words are the kit's inference.",
  },
  run(ctx) {
    if (!ctx.expect.refused || !ctx.response) return undefined;
    return verdict(
      isRefusal(ctx) && bodyOf(ctx) !== undefined,
      () => `${ctx.response!.status} ${short(ctx.response!.text, 200)}`,
      "a 4xx with a JSON body: the request breaks a rule the page states",
    );
  },
});
