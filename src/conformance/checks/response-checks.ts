/**
 * @module conformance/checks/response-checks
 * Checks run on every response, whatever the scenario (Schemathesis-style): the status is documented, the body
 * is JSON and valid for that status, `status` repeats the HTTP status, `success` is true exactly for 2xx, there is
 * no 5xx, a failure carries no user, and no API key sent comes back in the answer.
 */
import { UPDATE_PROFILE_METHOD, UPDATE_PROFILE_PATH, type Contract } from "../../contract/contract.js";
import type { RecordedResponse } from "../exchange.js";
import { fail, pass, short, type CheckResult } from "./check-result.js";

/** `sentKeys`: the API keys the request carried; none may come back in the answer. */
export function responseChecks(contract: Contract, response: RecordedResponse, sentKeys: readonly string[] = []): CheckResult[] {
  const documented = contract.documentedStatuses(UPDATE_PROFILE_PATH, UPDATE_PROFILE_METHOD);
  const results: CheckResult[] = [];
  const body = response.json as Record<string, unknown> | undefined;

  results.push(
    response.status < 500
      ? pass("not_a_server_error", "documented")
      : fail("not_a_server_error", "documented", `${response.status} ${short(response.text)}`, "no 5xx: every failure the page documents is a 400"),
  );
  results.push(
    documented.includes(response.status)
      ? pass("status_code_documented", "documented")
      : fail("status_code_documented", "documented", String(response.status), documented.join(", ")),
  );
  const contentType = response.headers["content-type"] ?? "";
  results.push(
    /^application\/json\b/i.test(contentType) && body !== undefined
      ? pass("content_type_json", "documented")
      : fail("content_type_json", "documented", `${contentType || "no Content-Type"}: ${short(response.text, 120)}`, "application/json with a JSON body"),
  );
  const validate = contract.responseValidator(UPDATE_PROFILE_PATH, UPDATE_PROFILE_METHOD, response.status);
  if (validate && body !== undefined) {
    const issues = validate(body);
    results.push(
      issues.length === 0
        ? pass("response_schema_conformance", "documented")
        : fail(
            "response_schema_conformance",
            "documented",
            issues.map((i) => `${i.path} ${i.message}`).join("; "),
            `the ${response.status} schema of openapi.yaml`,
          ),
    );
  }
  if (body && typeof body === "object" && !Array.isArray(body)) {
    results.push(
      body.status === response.status
        ? pass("body_status_matches_http_status", "documented")
        : fail("body_status_matches_http_status", "documented", `status ${short(body.status)} in a ${response.status} response`, `status ${response.status}`),
    );
    const is2xx = response.status >= 200 && response.status < 300;
    results.push(
      body.success === is2xx
        ? pass("success_flag_matches_status", "documented")
        : fail("success_flag_matches_status", "documented", `success ${short(body.success)} with HTTP ${response.status}`, `success ${is2xx}`),
    );
  }
  if (response.status >= 400 && body && typeof body === "object") {
    // The page's failure bodies hold status, success and message only: a failure must not leak the user's fields.
    const user = (body as { data?: { user?: unknown } }).data?.user;
    results.push(
      user === undefined || user === null
        ? pass("failure_carries_no_user", "documented")
        : fail("failure_carries_no_user", "documented", `a ${response.status} with data.user`, "{status, success, message} only"),
    );
  }
  const echoed = sentKeys.filter((key) => key.length >= 8 && response.text.includes(key));
  results.push(
    echoed.length === 0
      ? pass("api_key_not_echoed", "inferred")
      : fail("api_key_not_echoed", "inferred", "the answer contains the cv-api-key that was sent", "a key is never echoed"),
  );
  return results;
}
