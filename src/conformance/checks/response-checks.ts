/**
 * @module conformance/checks/response-checks
 * Checks run on every response, whatever the scenario (Schemathesis-style). Their tier is the tier of the status
 * received: the envelope of a 200 or a 400 is documented by the page, that of a 401 or a 404 is not.
 * - no 5xx, and a JSON answer read whole: these gate in every tier;
 * - the status is in openapi.yaml, the body valid for it, `status` repeats the HTTP status, `success` is true
 *   exactly for 2xx, a failure carries no user, no API key sent comes back;
 * - a 200 to an update carries the values sent ("a JSON object containing the updated user details").
 */
import { UPDATE_PROFILE_METHOD, UPDATE_PROFILE_PATH, type Contract } from "../../contract/contract.js";
import { MAX_RESPONSE_BYTES } from "../bounded-body.js";
import type { RecordedResponse } from "../exchange.js";
import { fail, pass, short, type CheckResult } from "./check-result.js";
import { compareFields } from "./compare-fields.js";

export interface ResponseContext {
  /** The data object of the update sent, if the request was one. */
  sent?: Record<string, unknown>;
}

export function responseChecks(contract: Contract, response: RecordedResponse, context: ResponseContext = {}): CheckResult[] {
  // A target is judged as a deployment: the statuses only the fake sends (injected faults) are not the contract's.
  const documented = contract.documentedStatuses(UPDATE_PROFILE_PATH, UPDATE_PROFILE_METHOD, "deployment");
  const tier = contract.statusTier(UPDATE_PROFILE_PATH, UPDATE_PROFILE_METHOD, response.status) ?? "inferred";
  const results: CheckResult[] = [];
  const body = response.json as Record<string, unknown> | undefined;

  results.push(
    response.status < 500
      ? pass("not_a_server_error", "documented", { always: true })
      : fail("not_a_server_error", "documented", `${response.status} ${short(response.text)}`, "no 5xx: every failure the page documents is a 400", { always: true }),
  );
  const contentType = response.headers["content-type"] ?? "";
  results.push(
    response.truncated
      ? fail("content_type_json", "documented", `a body over ${MAX_RESPONSE_BYTES} bytes (response too large; the rest was not read)`, "a JSON body in the page's envelope", { always: true })
      : /^application\/json\b/i.test(contentType) && body !== undefined
        ? pass("content_type_json", "documented", { always: true })
        : fail("content_type_json", "documented", `${response.status} ${contentType || "no Content-Type"}: ${short(response.text, 120)}`, "application/json with a JSON body", { always: true }),
  );
  results.push(
    documented.includes(response.status)
      ? pass("status_code_documented", tier)
      : fail("status_code_documented", "inferred", String(response.status), `a status openapi.yaml lists: ${documented.join(", ")}`),
  );
  const validate = contract.responseValidator(UPDATE_PROFILE_PATH, UPDATE_PROFILE_METHOD, response.status);
  if (validate && body !== undefined) {
    const issues = validate(body);
    results.push(
      issues.length === 0
        ? pass("response_schema_conformance", tier)
        : fail("response_schema_conformance", tier, issues.map((i) => `${i.path} ${i.message}`).join("; "), `the ${response.status} schema of openapi.yaml`),
    );
  }
  if (body && typeof body === "object" && !Array.isArray(body)) {
    results.push(
      body.status === response.status
        ? pass("body_status_matches_http_status", tier)
        : fail("body_status_matches_http_status", tier, `status ${short(body.status)} in a ${response.status} response`, `status ${response.status}`),
    );
    const is2xx = response.status >= 200 && response.status < 300;
    results.push(
      body.success === is2xx
        ? pass("success_flag_matches_status", tier)
        : fail("success_flag_matches_status", tier, `success ${short(body.success)} with HTTP ${response.status}`, `success ${is2xx}`),
    );
    if (response.status >= 400) {
      // The page's failure bodies hold status, success and message only: a failure must not leak the user's fields.
      const user = (body as { data?: { user?: unknown } }).data?.user;
      results.push(
        user === undefined || user === null
          ? pass("failure_carries_no_user", tier)
          : fail("failure_carries_no_user", tier, `a ${response.status} with data.user`, "{status, success, message} only"),
      );
    }
    const user = (body as { data?: { user?: unknown } }).data?.user;
    if (response.status === 200 && context.sent && user && typeof user === "object") {
      results.push(compareFields("user_reflects_update", "documented", sentAsStored(contract, context.sent), user as Record<string, unknown>));
    }
  }
  results.push(
    response.echoesKey
      ? fail("api_key_not_echoed", "inferred", "the answer contains the cv-api-key that was sent", "a key is never echoed")
      : pass("api_key_not_echoed", "inferred"),
  );
  return results;
}

/** The fields of an update as the user returned should show them: its email (any case) and each profile field sent. */
export function sentAsStored(contract: Contract, sent: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof sent.email === "string") out.email = sent.email;
  for (const field of contract.profileFields) if (Object.hasOwn(sent, field)) out[field] = sent[field];
  return out;
}
