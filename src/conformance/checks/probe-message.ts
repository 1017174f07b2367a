import { fillTemplate, matchesTemplate } from "../../contract/messages.js";
import { short } from "./check-result.js";
import { bodyOf } from "./check-context.js";
import { defineCheck, verdict } from "./define-check.js";
import { emailValues, isRefusal } from "./documented-answers.js";

export const probeMessage = defineCheck({
  id: "probe_message",
  title: "A generated rule probe that is refused names the rule",
  tier: "inferred",
  aspect: "wording",
  scope: "expectation",
  obligation: {
    inferred:
      "The page orders no checks: a generated request may break a rule of the service's own (a stricter format) before the one probed, so its words are a note; the scripted scenarios judge the documented words.",
  },
  run(ctx) {
    const name = ctx.expect.probeMessage;
    if (name === undefined || !isRefusal(ctx)) return undefined;
    const { template } = ctx.contract.message(name);
    const message = bodyOf(ctx)?.message;
    return verdict(
      matchesTemplate(template, emailValues(ctx), message),
      () => short(JSON.stringify(message)),
      JSON.stringify(fillTemplate(template, emailValues(ctx))),
    );
  },
});
