/**
 * @module conformance/checks/registry
 * Every check the suite runs, one line each. A new check is one file (its defineCheck) and one line here; the
 * docs' table of checks (docs/checks.md) is generated from this list and a test keeps it current.
 */
import { apiKeyNotEchoed } from "./api-key-not-echoed.js";
import type { CheckContext } from "./check-context.js";
import { withTier, type CheckResult } from "./check-result.js";
import { contentTypeJson } from "./content-type-json.js";
import type { CheckSpec } from "./define-check.js";
import { exactEcho } from "./exact-echo.js";
import { expectedHeader } from "./expected-header.js";
import { documentedWordsAnswer } from "./documented-words-answer.js";
import { failureEnvelope } from "./failure-envelope.js";
import { failureMessage } from "./failure-message.js";
import { failureStatus } from "./failure-status.js";
import { fieldsNotSentUnchanged } from "./fields-not-sent-unchanged.js";
import { inferredMessage } from "./inferred-message.js";
import { expectedStatus } from "./expected-status.js";
import { notAServerError } from "./not-a-server-error.js";
import { nothingChanged } from "./nothing-changed.js";
import { otherAccountsUnchanged } from "./other-accounts-unchanged.js";
import { phoneNotShared } from "./phone-not-shared.js";
import { phoneNotSharedAsNumber } from "./phone-not-shared-as-number.js";
import { probeMessage } from "./probe-message.js";
import { refusalEnvelope } from "./refusal-envelope.js";
import { refused } from "./refused.js";
import { statusCodeDocumented } from "./status-code-documented.js";
import { successEnvelope } from "./success-envelope.js";
import { successMessage } from "./success-message.js";
import { successStatus } from "./success-status.js";
import { unknownKeysNotStored } from "./unknown-keys-not-stored.js";
import { updateApplied } from "./update-applied.js";
import { updateKept } from "./update-kept.js";
import { userReturned } from "./user-returned.js";
import { validUpdateAccepted } from "./valid-update-accepted.js";

export const CHECKS = [
  // The general rules: they gate in every tier.
  notAServerError,
  contentTypeJson,
  // Where the page gives the whole answer: the success and the five failures.
  successStatus,
  successEnvelope,
  successMessage,
  failureStatus,
  failureEnvelope,
  failureMessage,
  documentedWordsAnswer,
  // What the page obliges a server to do to the data.
  refused,
  expectedStatus,
  nothingChanged,
  fieldsNotSentUnchanged,
  updateApplied,
  updateKept,
  userReturned,
  otherAccountsUnchanged,
  phoneNotShared,
  // The kit's readings where the page is silent.
  refusalEnvelope,
  inferredMessage,
  statusCodeDocumented,
  expectedHeader,
  exactEcho,
  unknownKeysNotStored,
  apiKeyNotEchoed,
  validUpdateAccepted,
  probeMessage,
  phoneNotSharedAsNumber,
] as const satisfies readonly CheckSpec[];

export type CheckId = (typeof CHECKS)[number]["id"];

const BY_ID = new Map<string, CheckSpec>(CHECKS.map((c) => [c.id, c]));

export function checkSpec(id: string): CheckSpec | undefined {
  return BY_ID.get(id);
}

/**
 * Runs every check that applies to a step. In a scenario of the inferred tier, the checks of what it expects are
 * inferred; the checks of the answer itself keep their tier (a 200 shows the update, whatever was asked). The
 * expectations of an `inferred:` part are judged again by the expectation checks, as inferred.
 */
export function runChecks(ctx: CheckContext, only?: ReadonlySet<string>): CheckResult[] {
  const { inferred, ...expect } = ctx.expect;
  const results = judge({ ...ctx, expect }, CHECKS, only);
  if (inferred)
    results.push(
      ...judge(
        { ...ctx, expect: inferred, scenario: { ...ctx.scenario, tier: "inferred" } },
        CHECKS.filter((c) => c.scope === "expectation"),
        only,
      ),
    );
  return results;
}

function judge(ctx: CheckContext, checks: readonly CheckSpec[], only?: ReadonlySet<string>): CheckResult[] {
  const results: CheckResult[] = [];
  for (const spec of checks) {
    if (only && !only.has(spec.id) && !spec.always) continue;
    const verdict = spec.run(ctx);
    if (!verdict) continue;
    const base = { check: spec.id, tier: spec.tier, aspect: spec.aspect, ...(spec.always ? { always: true as const } : {}) };
    const result: CheckResult = verdict.ok
      ? { ...base, ok: true }
      : withTier({ ...base, ok: false, received: verdict.received, expected: verdict.expected }, spec.tier);
    // An inferred scenario's expectations are inferred; what the page says of every answer stays documented.
    results.push(ctx.scenario.tier === "inferred" && spec.scope === "expectation" ? withTier(result, "inferred") : result);
  }
  return results;
}

/** A failed check after which the suite stops writing: the target destroys what it was not asked to change. */
export const isDestructive = (result: CheckResult): boolean =>
  !result.ok && result.tier === "documented" && BY_ID.get(result.check)?.destructive === true;
