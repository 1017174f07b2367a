// The contract checked against the vendor page: its examples, the page's own bodies, and the format rules.
import { describe, expect, it } from "vitest";
import { loadContract, UPDATE_PROFILE_METHOD, UPDATE_PROFILE_PATH } from "../../src/index.js";
import { compileTemplate, fillTemplate } from "../../src/contract/messages.js";
import { deref } from "../../src/contract/pointer.js";
import { PAGE_CURL_BODY_FIXED, PAGE_MESSAGES, PAGE_SUCCESS } from "../support/vendor-page.js";

const contract = loadContract();
const { spec } = contract;
const respond = (status: number) => contract.responseValidator(UPDATE_PROFILE_PATH, UPDATE_PROFILE_METHOD, status)!;

// The page's example request, with the one missing comma added (erratum E1).
const pageRequest = JSON.parse(PAGE_CURL_BODY_FIXED) as { action: string; data: Record<string, unknown> };

const pageSuccess = PAGE_SUCCESS;

// The page's "Failure Responses", with its literal {email} placeholder.
const pageFailures = {
  userDoesNotExist: PAGE_MESSAGES.userDoesNotExist("{email}"),
  userNotInOrganization: PAGE_MESSAGES.userNotInOrganization("{email}"),
  notAllowedToUpdateProfile: PAGE_MESSAGES.notAllowed,
  demographicFieldsLocked: PAGE_MESSAGES.locked,
  phoneNumberInUse: PAGE_MESSAGES.phoneInUse,
} as const;

describe("openapi.yaml examples", () => {
  const operation = spec.paths[UPDATE_PROFILE_PATH]![UPDATE_PROFILE_METHOD] as {
    requestBody: { content: { "application/json": { examples: Record<string, { value: unknown }> } } };
    responses: Record<string, unknown>;
  };

  it.each(Object.entries(operation.requestBody.content["application/json"].examples))("request example %s is valid", (_, example) => {
    expect(contract.validateUpdateRequest(example.value)).toEqual([]);
  });

  const responseExamples = Object.entries(operation.responses).flatMap(([status, ref]) => {
    const response = deref<{ content?: { "application/json"?: { examples?: Record<string, unknown> } } }>(spec, ref);
    return Object.entries(response.content?.["application/json"]?.examples ?? {}).map(
      ([name, example]) => [`${status} ${name}`, Number(status), deref<{ value: { status: number } }>(spec, example).value] as const,
    );
  });

  it("has an example for every documented failure and every inferred status", () => {
    expect(responseExamples.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        "400 userDoesNotExist",
        "400 phoneNumberInUse",
        "405 methodNotAllowed",
        "413 payloadTooLarge",
        "415 unsupportedMediaType",
      ]),
    );
  });

  it.each(responseExamples)("response example %s validates against its status's schema", (_, status, value) => {
    expect(respond(status)(value)).toEqual([]);
    expect(value.status).toBe(status);
  });
});

describe("the vendor page's own bodies", () => {
  it("accepts the example request (comma fixed)", () => {
    expect(contract.validateUpdateRequest(pageRequest)).toEqual([]);
  });

  it("accepts the success response as the 200 body", () => {
    expect(respond(200)(pageSuccess)).toEqual([]);
  });

  it.each(Object.entries(pageFailures))("documents %s with the page's exact message", (name, message) => {
    const body = { status: 400, success: false, message };
    expect(respond(400)(body)).toEqual([]);
    const documented = contract.message(name as keyof typeof pageFailures);
    expect(documented).toMatchObject({ status: 400, template: message, tier: "documented" });
  });

  it("accepts a success body whose dob is a date-time (the page's answer) or a bare date (its table, erratum E6), not another form", () => {
    const withDob = (dob: string) => respond(200)({ ...pageSuccess, data: { user: { ...pageSuccess.data.user, dob } } });
    expect(withDob("1995-10-01")).toEqual([]);
    expect(withDob("1995-10-01T00:00:00.000Z")).toEqual([]);
    expect(withDob("10/01/1995")).not.toEqual([]);
  });
});

describe("request rules", () => {
  const withData = (patch: Record<string, unknown>) => ({ action: "UPDATE_PROFILE", data: { ...pageRequest.data, ...patch } });
  const without = (field: string) => {
    const data: Record<string, unknown> = { ...pageRequest.data };
    delete data[field];
    return { action: "UPDATE_PROFILE", data };
  };

  it.each([
    ["dob not a calendar date", withData({ dob: "1995-02-30" }), "data.dob"],
    ["dob in DD-MM-YYYY", withData({ dob: "01-10-1995" }), "data.dob"],
    ["gender in lower case", withData({ gender: "male" }), "data.gender"],
    ["state of three letters", withData({ state: "NYC" }), "data.state"],
    ["country of three letters", withData({ country: "USA" }), "data.country"],
    ["postalCode with a letter", withData({ postalCode: "0101A" }), "data.postalCode"],
    ["postalCode as a number", withData({ postalCode: 1010 }), "data.postalCode"],
    ["missing email", without("email"), "data.email"],
    ["bad email", withData({ email: "john.doe.example.com" }), "data.email"],
    ["firstName null", withData({ firstName: null }), "data.firstName"],
    ["action UPDATE", { ...pageRequest, action: "UPDATE" }, "action"],
    ["data missing", { action: "UPDATE_PROFILE" }, "data"],
    ["data an array", { action: "UPDATE_PROFILE", data: [] }, "data"],
  ])("rejects %s, naming the field", (_, body, field) => {
    const issues = contract.validateUpdateRequest(body);
    expect(issues.map((i) => i.path)).toContain(field);
  });

  it.each([
    ["a leap day", withData({ dob: "1996-02-29" })],
    ["a postalCode with a leading zero", withData({ postalCode: "01010" })],
    ["address2 null (clears it)", withData({ address2: null })],
    ["only the email (changes nothing)", { action: "UPDATE_PROFILE", data: { email: "a@b.test" } }],
    ["unknown keys (ignored, never stored)", withData({ favouriteColour: "green" })],
  ])("accepts %s", (_, body) => {
    expect(contract.validateUpdateRequest(body)).toEqual([]);
  });

  it("says which rule a field breaks", () => {
    const [issue] = contract.validateUpdateRequest(withData({ dob: "1995-02-30" }));
    expect(issue).toEqual({ path: "data.dob", pointer: "/data/dob", message: 'must be a real calendar date in YYYY-MM-DD format (format "date")' });
  });
});

describe("what the rules read from the contract", () => {
  it("locks the four fields the page names, in the five statuses it names", () => {
    expect(contract.lockedFields).toEqual(["firstName", "lastName", "dob", "gender"]);
    expect([...contract.lockingStatuses].sort()).toEqual(["APPROVED", "ASSIGNED", "IN_PROGRESS", "NO_DECISION", "REJECTED"]);
  });

  it("lets UPDATE_PROFILE change every field of the page's table and phoneNumber, never email", () => {
    expect([...contract.profileFields].sort()).toEqual([
      "address",
      "address2",
      "city",
      "country",
      "dob",
      "firstName",
      "gender",
      "lastName",
      "phoneNumber",
      "postalCode",
      "state",
    ]);
  });

  it('lets only address2 be sent as null (the vendor\'s staging page: "Send null to reset")', () => {
    expect(contract.nullableProfileFields).toEqual(["address2"]);
  });

  it("records the page's errata", () => {
    expect(spec.info["x-errata"]?.length).toBeGreaterThanOrEqual(4);
  });
});

describe("message templates", () => {
  it("fill each placeholder with its value, keep one with no value as written, and take no value from Object.prototype", () => {
    const fill = compileTemplate("User {email} does not exist ({email}, {detail}, {constructor})");
    expect(fill({ email: "a@x.test", detail: "d" })).toBe("User a@x.test does not exist (a@x.test, d, {constructor})");
    expect(fill({})).toBe("User {email} does not exist ({email}, {detail}, {constructor})");
    expect(fillTemplate("{detail}", { detail: "only" })).toBe("only");
    expect(fillTemplate("no placeholders", { email: "x" })).toBe("no placeholders");
    expect(fillTemplate("{a}{b}", { a: "1", b: "$&" })).toBe("1$&"); // a value is text, never a replacement pattern
  });
});
