/**
 * @module conformance/checks/expectation-checks
 * Checks of what one scenario step expects: the status, the documented message (exact, {email} filled in),
 * headers, and the user the target answers with. A message's text is the "wording" aspect: where the kit inferred
 * it, a different text is a note, not a warning (see gating).
 */
import type { Contract } from "../../contract/contract.js";
import { fillTemplate, matchesTemplate } from "../../contract/messages.js";
import type { RecordedResponse } from "../exchange.js";
import type { Expectation } from "../scenario.js";
import { fail, pass, short, withTier, type CheckResult } from "./check-result.js";
import { compareFields } from "./compare-fields.js";

export interface ExpectationContext {
  /** The data object the step sent, if any. */
  sent?: Record<string, unknown>;
  /** The snapshot of the account concerned, taken before the scenario. */
  snapshot?: Record<string, unknown>;
  /** Every profile field the scenario's updates sent to that account, with the value sent last. */
  sentToAccount?: Record<string, unknown>;
}

export function expectationChecks(contract: Contract, expect: Expectation, response: RecordedResponse, context: ExpectationContext): CheckResult[] {
  const results: CheckResult[] = [];
  const body = (response.json ?? {}) as { message?: unknown; data?: { user?: Record<string, unknown> } };
  const user = body.data?.user;

  if (expect.refused) {
    const ok = response.status >= 400 && response.status < 500 && typeof body.message === "string" && (response.json as { success?: unknown }).success === false;
    results.push(ok ? pass("refused", "documented") : fail("refused", "documented", `${response.status} ${short(response.text, 200)}`, "a 4xx in the page's envelope: the request breaks a rule the page states"));
  }
  if (expect.status !== undefined) {
    const allowed = [expect.status].flat();
    results.push(
      allowed.includes(response.status)
        ? pass("expected_status", "documented")
        : fail("expected_status", "documented", `${response.status} ${short(response.text, 200)}`, allowed.join(" or ")),
    );
  }
  if (expect.message !== undefined) {
    const documented = contract.message(expect.message);
    const values: Record<string, string> = typeof context.sent?.email === "string" ? { email: context.sent.email } : {};
    const ok = matchesTemplate(documented.template, values, body.message);
    results.push(
      ok
        ? pass("documented_message", documented.tier, { aspect: "wording" })
        : fail("documented_message", documented.tier, short(JSON.stringify(body.message)), JSON.stringify(fillTemplate(documented.template, values)), { aspect: "wording" }),
    );
  }
  if (expect.successMessage) {
    const documented = contract.successMessage;
    results.push(
      body.message === documented
        ? pass("documented_message", "documented", { aspect: "wording" })
        : fail("documented_message", "documented", short(JSON.stringify(body.message)), JSON.stringify(documented), { aspect: "wording" }),
    );
  }
  for (const [name, value] of Object.entries(expect.headers ?? {})) {
    const received = response.headers[name.toLowerCase()];
    results.push(received === value ? pass(`header_${name}`, "documented") : fail(`header_${name}`, "documented", String(received), value));
  }
  const wantsUser = expect.user || expect.userLacks || expect.unchanged || expect.othersUnchanged || expect.showsUpdate;
  if (wantsUser && !user) {
    results.push(fail("user_returned", "documented", short(response.text, 200), "a body with data.user"));
    return [...results, ...inferredPart(contract, expect, response, context)];
  }
  if (!user) return [...results, ...inferredPart(contract, expect, response, context)];
  if (expect.user) results.push(compareFields("user_fields", "documented", expect.user, user));
  if (expect.userLacks) {
    const present = expect.userLacks.filter((key) => Object.hasOwn(user, key));
    results.push(
      present.length === 0
        ? pass("unknown_keys_not_stored", "documented")
        : fail("unknown_keys_not_stored", "documented", `data.user has ${present.join(", ")}`, "keys outside the contract are never stored"),
    );
  }
  const snapshot = context.snapshot;
  if (snapshot && expect.unchanged) results.push(compareFields("profile_unchanged", "documented", pick(snapshot, contract.profileFields), user));
  if (snapshot && expect.othersUnchanged) {
    const others = contract.profileFields.filter((f) => !Object.hasOwn(context.sentToAccount ?? {}, f));
    results.push(compareFields("fields_not_sent_unchanged", "documented", pick(snapshot, others), user));
  }
  if (expect.showsUpdate && context.sentToAccount) results.push(compareFields("update_kept", "documented", context.sentToAccount, user));
  return [...results, ...inferredPart(contract, expect, response, context)];
}

/** The expectations of an `inferred:` block, judged as inferred. */
function inferredPart(contract: Contract, expect: Expectation, response: RecordedResponse, context: ExpectationContext): CheckResult[] {
  return expect.inferred ? expectationChecks(contract, expect.inferred, response, context).map((c) => withTier(c, "inferred")) : [];
}

/** Only the contract's profile fields are compared: extra fields a service may add (updatedAt) move freely. */
function pick(record: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f, record[f] ?? null]));
}
