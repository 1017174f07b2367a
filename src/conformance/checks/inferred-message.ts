import { fillTemplate, matchesTemplate } from "../../contract/messages.js";
import { short } from "./check-result.js";
import { bodyOf } from "./check-context.js";
import { defineCheck, verdict } from "./define-check.js";
import { emailValues } from "./documented-answers.js";

export const inferredMessage = defineCheck({
  id: "inferred_message",
  title: "A refusal the page does not word has the words openapi.yaml infers (its {detail} free)",
  tier: "inferred",
  aspect: "wording",
  scope: "expectation",
  obligation: { inferred: "The page gives no words for these refusals; openapi.yaml's examples follow the vendor's older endpoints." },
  run(ctx) {
    const name = ctx.expect.message;
    if (name === undefined || !ctx.response || ctx.contract.message(name).tier === "documented") return undefined;
    const { template } = ctx.contract.message(name);
    const message = bodyOf(ctx)?.message;
    return verdict(
      matchesTemplate(template, emailValues(ctx), message),
      () => short(JSON.stringify(message)),
      JSON.stringify(fillTemplate(template, emailValues(ctx))),
    );
  },
});
