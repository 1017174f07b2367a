// The checks run on every response, fed with responses a broken target could send.
import { describe, expect, it } from "vitest";
import { loadContract } from "../src/index.js";
import { responseChecks } from "../src/conformance/checks/response-checks.js";
import { expectationChecks } from "../src/conformance/checks/expectation-checks.js";
import type { RecordedResponse } from "../src/conformance/exchange.js";

const contract = loadContract();
const reply = (status: number, body: unknown, contentType = "application/json"): RecordedResponse => {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status, headers: { "content-type": contentType }, text, json, durationMs: 1 };
};
const failed = (r: RecordedResponse) => responseChecks(contract, r).filter((c) => !c.ok).map((c) => c.check).sort();

describe("checks on every response", () => {
  it("pass a documented failure", () => {
    expect(failed(reply(400, { status: 400, success: false, message: "Not allowed to update the profile" }))).toEqual([]);
  });

  it.each([
    ["a 500", reply(500, { status: 500, success: false, message: "boom" }), ["not_a_server_error", "status_code_documented"]],
    ["an undocumented status", reply(409, { status: 409, success: false, message: "x" }), ["status_code_documented"]],
    ["an HTML page", reply(400, "<html>Bad</html>", "text/html"), ["content_type_json"]],
    ["a body status that is not the HTTP status", reply(400, { status: 200, success: false, message: "x" }), ["body_status_matches_http_status", "response_schema_conformance"]],
    ["success true on a 400", reply(400, { status: 400, success: true, message: "x" }), ["response_schema_conformance", "success_flag_matches_status"]],
    ["a failure that carries the user", reply(400, { status: 400, success: false, message: "x", data: { user: { email: "a@b.c", city: "Oslo" } } }), ["failure_carries_no_user"]],
    ["a 200 without data.user", reply(200, { status: 200, success: true, message: "Profile updated successfully" }), ["response_schema_conformance"]],
  ])("fail %s", (_, response, checks) => {
    expect(failed(response)).toEqual(checks);
  });

  it("fail when the answer echoes the API key, as an inferred check", () => {
    const results = responseChecks(contract, { ...reply(400, { status: 400, success: false, message: "Organization with key <redacted> not found" }), echoesKey: true });
    expect(results.find((c) => c.check === "api_key_not_echoed")).toMatchObject({ ok: false, tier: "inferred" });
  });
});

describe("expectation checks", () => {
  it("say Received and Documented, with the email filled in", () => {
    const [check] = expectationChecks(contract, { message: "userDoesNotExist" }, reply(400, { status: 400, success: false, message: "User not found" }), { sent: { email: "a@b.test" } });
    expect(check).toMatchObject({ ok: false, tier: "documented", message: 'Received: "User not found"\nDocumented: "User a@b.test does not exist"' });
  });

  it("match the detail of an inferred message loosely, and say it is inferred", () => {
    const [check] = expectationChecks(contract, { message: "malformedJson" }, reply(400, { status: 400, success: false, message: "Request body is not valid JSON: Unexpected token" }), {});
    expect(check).toMatchObject({ ok: true, tier: "inferred" });
  });

  it("accept any of several statuses", () => {
    expect(expectationChecks(contract, { status: [413, 400] }, reply(400, { status: 400, success: false, message: "x" }), {})[0]!.ok).toBe(true);
    expect(expectationChecks(contract, { status: [413, 400] }, reply(200, { status: 200 }), {})[0]!.ok).toBe(false);
  });
});
