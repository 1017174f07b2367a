/**
 * @module conformance/checks/expectation-checks
 * Checks of what one scenario step expects: the status, the documented message (exact, {email} filled in),
 * headers, and the user the target answers with.
 */
import { isDeepStrictEqual } from "node:util";
import type { Contract } from "../../contract/contract.js";
import { fillTemplate, templatePattern } from "../../contract/messages.js";
import type { RecordedResponse } from "../exchange.js";
import type { Expectation } from "../scenario.js";
import { fail, pass, short, type CheckResult } from "./check-result.js";

export interface ExpectationContext {
  /** The data object the step sent, if any. */
  sent?: Record<string, unknown>;
  /** The snapshot of the account read, for `unchanged`. */
  snapshot?: Record<string, unknown>;
}

export function expectationChecks(contract: Contract, expect: Expectation, response: RecordedResponse, context: ExpectationContext): CheckResult[] {
  const results: CheckResult[] = [];
  const body = (response.json ?? {}) as { message?: unknown; data?: { user?: Record<string, unknown> } };
  const user = body.data?.user;

  if (expect.status !== undefined) {
    const allowed = Array.isArray(expect.status) ? expect.status : [expect.status];
    results.push(
      allowed.includes(response.status)
        ? pass("expected_status", "documented")
        : fail("expected_status", "documented", `${response.status} ${short(response.text, 200)}`, allowed.join(" or ")),
    );
  }
  if (expect.message !== undefined) {
    const documented = contract.message(expect.message);
    const values: Record<string, string> = typeof context.sent?.email === "string" ? { email: context.sent.email } : {};
    const ok = typeof body.message === "string" && templatePattern(documented.template, values).test(body.message);
    results.push(
      ok
        ? pass("documented_message", documented.tier)
        : fail("documented_message", documented.tier, short(JSON.stringify(body.message)), JSON.stringify(fillTemplate(documented.template, values))),
    );
  }
  if (expect.successMessage) {
    const documented = contract.successMessage;
    results.push(
      body.message === documented
        ? pass("documented_message", "documented")
        : fail("documented_message", "documented", short(JSON.stringify(body.message)), JSON.stringify(documented)),
    );
  }
  for (const [name, value] of Object.entries(expect.headers ?? {})) {
    const received = response.headers[name.toLowerCase()];
    results.push(received === value ? pass(`header_${name}`, "documented") : fail(`header_${name}`, "documented", String(received), value));
  }
  if (expect.user || expect.userEchoesRequest || expect.userLacks || expect.unchanged) {
    if (!user) {
      results.push(fail("user_returned", "documented", short(response.text, 200), "a body with data.user"));
      return results;
    }
  }
  if (user && expect.user) results.push(compareFields("user_fields", expect.user, user));
  if (user && expect.userEchoesRequest && context.sent) results.push(compareFields("user_reflects_update", asStored(context.sent), user));
  if (user && expect.userLacks) {
    const present = expect.userLacks.filter((key) => Object.hasOwn(user, key));
    results.push(
      present.length === 0
        ? pass("unknown_keys_not_stored", "documented")
        : fail("unknown_keys_not_stored", "documented", `data.user has ${present.join(", ")}`, "keys outside the contract are never stored"),
    );
  }
  if (user && expect.unchanged && context.snapshot) results.push(compareFields("profile_unchanged", context.snapshot, user));
  return results;
}

/** What the page says a sent value looks like once stored: dob comes back as an ISO date-time. Email is the key, not a change. */
export function asStored(sent: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(sent)) {
    if (key === "email") continue;
    out[key] = key === "dob" && typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value;
  }
  return out;
}

function compareFields(check: string, expected: Record<string, unknown>, user: Record<string, unknown>): CheckResult {
  const differing = Object.keys(expected).filter((key) => !isDeepStrictEqual(user[key] ?? null, expected[key] ?? null));
  if (differing.length === 0) return pass(check, "documented");
  const received = differing.map((k) => `${k}=${short(user[k] ?? null, 60)}`).join(", ");
  const documented = differing.map((k) => `${k}=${short(expected[k] ?? null, 60)}`).join(", ");
  return fail(check, "documented", received, documented);
}
