import { fillTemplate, matchesTemplate } from "../../contract/messages.js";
import { short } from "./check-result.js";
import { bodyOf } from "./check-context.js";
import { defineCheck, verdict } from "./define-check.js";
import { emailValues, expectedDocumentedFailure } from "./documented-answers.js";

export const failureMessage = defineCheck({
  id: "failure_message",
  title: "A documented failure has the page's words, {email} filled in",
  tier: "documented",
  aspect: "wording",
  scope: "expectation",
  obligation: {
    page: 'Failure Responses: "User {email} does not exist", "… does not exist in the organization", "Not allowed to update the profile", "Cannot update user profile fields …", "Unable to use this phone number …"',
  },
  run(ctx) {
    const name = expectedDocumentedFailure(ctx);
    if (!name || !ctx.response) return undefined;
    const { template } = ctx.contract.message(name);
    const message = bodyOf(ctx)?.message;
    return verdict(
      matchesTemplate(template, emailValues(ctx), message),
      () => short(JSON.stringify(message)),
      JSON.stringify(fillTemplate(template, emailValues(ctx))),
    );
  },
});
