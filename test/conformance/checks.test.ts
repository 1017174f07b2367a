// The registered checks, fed with answers a broken (or merely different) target could send.
import { describe, expect, it } from "vitest";
import { loadContract } from "../../src/index.js";
import type { CheckContext } from "../../src/conformance/checks/check-context.js";
import { CHECKS, runChecks } from "../../src/conformance/checks/registry.js";
import { renderChecksTable } from "../../src/conformance/checks/checks-table.js";
import { DEFAULT_SCENARIOS_DIR, loadScenarios } from "../../src/index.js";
import { readFileSync } from "node:fs";
import { sameNormalForm, sameStored } from "../../src/conformance/checks/normal-form.js";
import type { RecordedResponse } from "../../src/conformance/exchange.js";
import type { Expectation } from "../../src/conformance/scenario.js";

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
const step = (response: RecordedResponse, expect: Expectation = {}, more: Partial<CheckContext> = {}): CheckContext => ({
  contract,
  kind: "send",
  scenario: { tier: "documented", source: "a sentence" },
  expect,
  response,
  sent: { email: "a@b.test" },
  ...more,
});
const failing = (ctx: CheckContext) =>
  runChecks(ctx)
    .filter((c) => !c.ok)
    .map((c) => `${c.check}:${c.tier}`)
    .sort();

describe("the registry", () => {
  it("gives every check a tier, and an obligation that matches it", () => {
    for (const check of CHECKS) {
      if (check.always) expect(check.tier).toBe("documented");
      expect(check.tier === "inferred", check.id).toBe("inferred" in check.obligation);
    }
    expect(new Set(CHECKS.map((c) => c.id)).size).toBe(CHECKS.length);
  });

  it("is what docs/checks.md says, check by check (npm run docs:checks writes it)", () => {
    const written = readFileSync(new URL("../../docs/checks.md", import.meta.url), "utf8");
    expect(written).toBe(renderChecksTable(CHECKS, loadScenarios(DEFAULT_SCENARIOS_DIR)));
  });
});

describe("where the page gives the whole answer", () => {
  const ana = { email: "a@b.test" };
  it.each<[string, RecordedResponse, Expectation, string[]]>([
    [
      "a documented failure as the page writes it",
      reply(400, { status: 400, success: false, message: "User a@b.test does not exist" }),
      { status: 400, message: "userDoesNotExist" },
      [],
    ],
    [
      "its words otherwise",
      reply(400, { status: 400, success: false, message: "User not found" }),
      { status: 400, message: "userDoesNotExist" },
      ["failure_message:documented"],
    ],
    [
      "its words in another envelope",
      reply(400, { status: 400, success: false, error: "User a@b.test does not exist", code: "NOT_FOUND" }),
      { status: 400, message: "userDoesNotExist" },
      ["failure_envelope:documented", "failure_message:documented"],
    ],
    // Carried words make it the contract's answer, whatever status and label it came with.
    [
      "its words with a 500",
      reply(500, { status: 500, success: false, message: "User a@b.test does not exist" }),
      {},
      ["documented_words_answer:documented", "not_a_server_error:documented", "status_code_documented:inferred"],
    ],
    [
      "its words with a 404",
      reply(404, { status: 404, success: false, message: "User a@b.test does not exist" }),
      {},
      ["documented_words_answer:documented"],
    ],
    [
      "its words labelled text/html",
      reply(400, { status: 400, success: false, message: "User a@b.test does not exist" }, "text/html"),
      {},
      ["content_type_json:documented"],
    ],
    [
      "a success without its user",
      reply(200, { status: 200, success: true, message: "Profile updated successfully" }),
      {},
      ["success_envelope:documented"],
    ],
    [
      "a success worded otherwise",
      reply(200, { status: 200, success: true, message: "Updated", data: { user: ana } }),
      { status: 200, successMessage: true },
      ["success_message:documented"],
    ],
  ])("%s", (_, response, expectation, failures) => {
    const user = (response.json as { data?: { user?: Record<string, unknown> } }).data?.user;
    expect(failing(step(response, expectation, user ? { profile: user } : {}))).toEqual([...failures].sort());
  });
});

describe("where the page states a rule but not its answer", () => {
  const expectation: Expectation = { refused: true, inferred: { status: 400, message: "missingApiKey" } };
  it.each<[string, RecordedResponse, string[]]>([
    ["the kit's guess", reply(400, { status: 400, success: false, message: "Secret key not provided!" }), []],
    [
      "401 in the vendor's newer envelope",
      reply(401, { status: 401, success: false, error: "Unauthorized", code: "VALIDATION_ERROR" }),
      ["inferred_message:inferred", "expected_status:inferred", "refusal_envelope:inferred"],
    ],
    ["{error, code}", reply(400, { error: "Invalid JSON", code: "INVALID_JSON" }), ["inferred_message:inferred", "refusal_envelope:inferred"]],
    ["its own words", reply(400, { status: 400, success: false, message: "Missing API key" }), ["inferred_message:inferred"]],
    [
      "accepted",
      reply(200, { status: 200, success: true, message: "Profile updated successfully", data: { user: { email: "a@b.test" } } }),
      ["inferred_message:inferred", "expected_status:inferred", "refused:documented"],
    ],
    ["an HTML 400", reply(400, "<html>Bad</html>", "text/html"), ["content_type_json:documented", "inferred_message:inferred", "refused:documented"]],
    [
      "an undocumented 409",
      reply(409, { status: 409, success: false, message: "x" }),
      ["inferred_message:inferred", "expected_status:inferred", "status_code_documented:inferred"],
    ],
  ])("refused is a 4xx with a JSON body; status, envelope and words are inferred: %s", (_, response, failures) => {
    const user = (response.json as { data?: { user?: Record<string, unknown> } } | undefined)?.data?.user;
    expect(failing(step(response, expectation, user ? { profile: user } : {}))).toEqual([...failures].sort());
  });
});

describe("a value read back", () => {
  it.each<[string, unknown, unknown, boolean, boolean]>([
    // field, sent, received: the same stored, the same in normal form
    ["gender", "male", "MALE", false, true],
    ["state", "ny", "NY", false, true],
    ["city", " Boston  ", "Boston", false, true],
    ["address", "123  ABC street", "123 ABC street", false, true],
    ["phoneNumber", "+1 415 555 0199", "+14155550199", false, true],
    ["phoneNumber", "(415) 555-0199", "+14155550199", false, true],
    ["phoneNumber", "+14155550199", "+14155550198", false, false],
    ["dob", "1995-10-01", "1995-10-01T00:00:00.000Z", true, true],
    ["dob", "1995-10-01", "1995-09-30T23:00:00.000Z", false, true],
    ["dob", "1995-02-30", "1995-03-02T00:00:00.000Z", false, false],
    ["dob", "1995-10-01", "1995-10-02T00:00:00.000Z", false, false],
    ["email", "A@B.test", "a@b.test", true, true],
    ["city", null, "", true, true],
    ["city", "Bostn", "Boston", false, false],
  ])("%s %j as %j: stored %s, normal form %s", (field, sent, received, stored, normal) => {
    expect(sameStored(field, sent, received)).toBe(stored);
    expect(sameNormalForm(field, sent, received)).toBe(normal);
  });

  it("a 200 in the service's normal form passes the documented check and warns as an inexact echo", () => {
    const response = reply(200, {
      status: 200,
      success: true,
      message: "Profile updated successfully",
      data: { user: { email: "a@b.test", gender: "MALE" } },
    });
    const ctx = step(response, { status: 200 }, { sent: { email: "a@b.test", gender: "male" }, profile: { email: "a@b.test", gender: "MALE" } });
    expect(failing(ctx)).toEqual(["exact_echo:inferred"]);
  });

  it("a 200 that shows another value fails the documented check", () => {
    const user = { email: "a@b.test", dob: "1995-03-02T00:00:00.000Z" };
    const ctx = step(
      reply(200, { status: 200, success: true, message: "Profile updated successfully", data: { user } }),
      {},
      { sent: { email: "a@b.test", dob: "1995-02-30" }, profile: user },
    );
    const [check] = runChecks(ctx).filter((c) => c.check === "update_applied");
    expect(check).toMatchObject({ ok: false, tier: "documented", message: "Received: dob=1995-03-02T00:00:00.000Z\nDocumented: dob=1995-02-30" });
  });
});

describe("in an inferred scenario", () => {
  it("what the scenario expects is inferred; what the page says of every answer is not", () => {
    const ctx = { ...step(reply(500, "<html>oops</html>", "text/html"), { refused: true }), scenario: { tier: "inferred" as const, source: "" } };
    expect(failing(ctx)).toEqual([
      "content_type_json:documented",
      "not_a_server_error:documented",
      "refused:inferred",
      "status_code_documented:inferred",
    ]);
  });
});
