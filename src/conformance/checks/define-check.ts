/**
 * @module conformance/checks/define-check
 * A check is one registered function (Schemathesis's `@check`): its id, its tier, what obliges the server to pass
 * it, and the function. The tier is the check's own: a documented check holds only what a sentence of the vendor
 * page obliges the server to do, and quotes it; the general rules (no 5xx, a JSON answer) gate in every tier; an
 * inferred check is the kit's reading where the page is silent, and says why. In a scenario of the inferred tier
 * the checks of what the scenario expects are judged as inferred; the checks of the answer itself keep their tier.
 */
import type { Tier } from "../../contract/load-spec.js";
import type { Aspect } from "./check-result.js";
import type { CheckContext } from "./check-context.js";

/** What obliges a server to pass a check. */
export type Obligation =
  /** A sentence of the vendor page, quoted. */
  | { page: string }
  /** The sentence the scenario (or generated family) cites: each names the rule of the page it proves. */
  | { scenario: string }
  /** A rule that holds for any HTTP API answering in JSON, whatever the page says. */
  | { general: string }
  /** The kit's reading where the page is silent (openapi.yaml marks it inferred), and why. */
  | { inferred: string };

/** A check's answer where it applies: passed, or what was received and what was expected instead. */
export type Verdict = { ok: true } | { ok: false; received: string; expected: string };

export interface CheckSpec<Id extends string = string> {
  id: Id;
  /** One line: what it checks. */
  title: string;
  tier: Tier;
  aspect: Aspect;
  obligation: Obligation;
  /**
   * answer: judged once per step, whatever it expects (an answer's envelope, the general rules); expectation: judged
   * against what the step expects, and again against its `inferred:` part, as inferred.
   */
  scope: "answer" | "expectation";
  /** Gates in every tier (the general rules). */
  always?: true;
  /**
   * A failure means the target destroys what it was not asked to change: once seen, the suite stops writing,
   * since every further write (a read is one, where the target offers no other) could destroy more.
   */
  destructive?: true;
  /** Its verdict, or undefined where it does not apply. */
  run(ctx: CheckContext): Verdict | undefined;
}

/** The compiler rejects an entry that lacks a part: every check says what obliges the server. */
export function defineCheck<const Id extends string>(spec: CheckSpec<Id>): CheckSpec<Id> {
  if (spec.always && spec.tier !== "documented") throw new Error(`Check ${spec.id}: a general rule gates in every tier, so its tier is documented.`);
  if (spec.tier === "inferred" && !("inferred" in spec.obligation))
    throw new Error(`Check ${spec.id}: an inferred check says why the kit infers it.`);
  if (spec.tier === "documented" && "inferred" in spec.obligation)
    throw new Error(`Check ${spec.id}: a documented check quotes the page, or names a general rule.`);
  return spec;
}

export const passed: Verdict = { ok: true };
export const failed = (received: string, expected: string): Verdict => ({ ok: false, received, expected });
export const verdict = (ok: boolean, received: () => string, expected: string): Verdict => (ok ? passed : failed(received(), expected));
