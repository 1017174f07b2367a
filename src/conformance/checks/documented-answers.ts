/**
 * @module conformance/checks/documented-answers
 * Where the page gives the whole answer: the success, and the five business failures, each with its envelope and
 * words. An answer is judged as one of them when the step expects it, or when it carries one of their messages,
 * whatever its status or Content-Type label: a "User … does not exist" answered with a 500 or a 404 is the
 * contract's answer, worded right and sent wrong, not a setup mistake.
 */
import { matchesTemplate, type MessageName } from "../../contract/messages.js";
import { bodyOf, type CheckContext } from "./check-context.js";

/** The names of the messages the page itself gives (x-kit-tier: documented). */
export function documentedFailures(ctx: CheckContext): MessageName[] {
  return (Object.keys(ctx.contract.spec.components.examples) as MessageName[]).filter((name) => {
    const example = ctx.contract.spec.components.examples[name];
    return example?.["x-kit-tier"] === "documented" && typeof (example.value as { message?: unknown } | undefined)?.message === "string";
  });
}

/** The documented failure this step expects, if it expects one. */
export function expectedDocumentedFailure(ctx: CheckContext): MessageName | undefined {
  const name = ctx.expect.message;
  return name !== undefined && ctx.contract.message(name).tier === "documented" ? name : undefined;
}

/** The documented failure whose words the answer carries (in `message`, or in another envelope's `error`). */
export function carriedDocumentedFailure(ctx: CheckContext): MessageName | undefined {
  const body = bodyOf(ctx);
  if (!body) return undefined;
  const values = emailValues(ctx);
  const texts = [body.message, body.error].filter((t): t is string => typeof t === "string");
  return documentedFailures(ctx).find((name) => texts.some((text) => matchesTemplate(ctx.contract.message(name).template, values, text)));
}

/** {email} is the request's data.email (erratum E9). */
export function emailValues(ctx: CheckContext): Record<string, string> {
  return typeof ctx.sent?.email === "string" ? { email: ctx.sent.email } : {};
}

/** A 2xx answer to an update: the page's success answer. */
export const isSuccess = (ctx: CheckContext): boolean => ctx.response !== undefined && ctx.response.status >= 200 && ctx.response.status < 300;
/** A 4xx answer (a 429 is waited out before it reaches a check). */
export const isRefusal = (ctx: CheckContext): boolean => ctx.response !== undefined && ctx.response.status >= 400 && ctx.response.status < 500;
