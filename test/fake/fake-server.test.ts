// The fake server through real HTTP, judged against the vendor page; every response is checked against openapi.yaml.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFakeServer, type FakeServer } from "../../src/index.js";
import { admin, KEY_A, KEY_B, readUser, send, update } from "../support/http.js";
import { LOCKED_FIELDS, PAGE_CURL_BODY, PAGE_CURL_BODY_FIXED, PAGE_MESSAGES, PAGE_SUCCESS } from "../support/vendor-page.js";

let fake: FakeServer;
let url: string;
beforeAll(async () => {
  fake = await startFakeServer();
  url = fake.url;
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const ANA = "ana.free@clinic-a.test";
const BEN = "ben.locked@clinic-a.test"; // ASSIGNED case
const CARLA = "carla.open@clinic-a.test"; // OPEN + ABANDONED cases
const EVE = "eve.other@clinic-b.test"; // clinic B only
const FAY_PHONE = "+15550000006";

describe("the vendor page's example", () => {
  it("succeeds with the comma fixed, answering the whole user with dob as an ISO date-time", async () => {
    const reply = await send(url, PAGE_CURL_BODY_FIXED);
    expect(reply.status).toBe(200);
    // The page's success body, answering the page's own request (its email and phone number).
    const user = { ...PAGE_SUCCESS.data.user, email: "john.doe@example.com", phoneNumber: "+11111111111" };
    expect(reply.body).toEqual({ ...PAGE_SUCCESS, data: { user } });
  });

  it("sent exactly as printed (comma missing) gets a 400 envelope saying the body is not valid JSON", async () => {
    const reply = await send(url, PAGE_CURL_BODY);
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/^Request body is not valid JSON: /);
  });
});

describe("success", () => {
  it("updates every field sent and leaves the others as they were", async () => {
    const reply = await update(url, { email: ANA, city: "Boston", state: "MA", postalCode: "02108", address2: "Suite 5" });
    expect(reply.status).toBe(200);
    const user = await readUser(url, ANA);
    expect(user).toMatchObject({
      city: "Boston",
      state: "MA",
      postalCode: "02108",
      address2: "Suite 5",
      firstName: "Ana",
      phoneNumber: "+15550000001",
    });
  });

  it("updates the four demographic fields of a user with no case", async () => {
    expect((await update(url, { email: ANA, ...LOCKED_FIELDS })).status).toBe(200);
    expect(await readUser(url, ANA)).toMatchObject({ ...LOCKED_FIELDS, dob: "2000-01-01T00:00:00.000Z" });
  });

  it("finds the user whatever the case of the email, and never changes the email", async () => {
    const reply = await update(url, { email: "ANA.Free@Clinic-A.test", city: "Boston" });
    expect(reply.body.data.user.email).toBe(ANA);
  });

  it("clears address2 with null", async () => {
    await update(url, { email: ANA, address2: "Apt 9" });
    await update(url, { email: ANA, address2: null });
    expect((await readUser(url, ANA)).address2).toBeNull();
  });

  it("never stores unknown keys, role, memberships, ids or prototype keys", async () => {
    const body = `{"action":"UPDATE_PROFILE","role":"ADMIN","__proto__":{"polluted":true},"data":{"email":"${ANA}","city":"Boston",
      "role":"ADMIN","organizationIds":["org-clinic-b"],"id":"u-x","cases":[],"favourite":"x","__proto__":{"role":"ADMIN"},"constructor":{"prototype":{"polluted":true}}}}`;
    expect((await send(url, body)).status).toBe(200);
    const stored = (await admin(url, "GET", "/users/u-ana")).body;
    expect(stored).toMatchObject({ id: "u-ana", role: "USER", organizationIds: ["org-clinic-a"], city: "Boston" });
    expect(Object.keys(stored)).not.toContain("favourite");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await update(url, { email: EVE }, { key: KEY_A })).body.message).toBe(PAGE_MESSAGES.userNotInOrganization(EVE));
  });
});

describe("the documented failures", () => {
  it("User {email} does not exist", async () => {
    const reply = await update(url, { email: "nobody@nowhere.test", city: "X" });
    expect(reply.body).toEqual({ status: 400, success: false, message: PAGE_MESSAGES.userDoesNotExist("nobody@nowhere.test") });
  });

  it("User {email} does not exist in the organization", async () => {
    const reply = await update(url, { email: EVE, city: "X" }, { key: KEY_A });
    expect(reply.body).toEqual({ status: 400, success: false, message: PAGE_MESSAGES.userNotInOrganization(EVE) });
    // The same user with its own organization's key succeeds.
    expect((await update(url, { email: EVE, city: "X" }, { key: KEY_B })).status).toBe(200);
  });

  it.each(["dan.staff@clinic-a.test", "lea.manager@clinic-a.test"])("Not allowed to update the profile: %s has a staff role", async (email) => {
    const reply = await update(url, { email, city: "X" });
    expect(reply.body).toEqual({ status: 400, success: false, message: PAGE_MESSAGES.notAllowed });
  });

  it("Not allowed, for a staff user of the other organization too (with its own key)", async () => {
    expect((await update(url, { email: "hal.worker@clinic-b.test" }, { key: KEY_B })).body.message).toBe(PAGE_MESSAGES.notAllowed);
  });

  it("Unable to use this phone number, when it belongs to a different user", async () => {
    const reply = await update(url, { email: ANA, phoneNumber: FAY_PHONE });
    expect(reply.body).toEqual({ status: 400, success: false, message: PAGE_MESSAGES.phoneInUse });
  });

  it("Unable to use this phone number, when its owner is in another organization (numbers are platform-wide)", async () => {
    expect((await update(url, { email: ANA, phoneNumber: "+15550000005" })).body.message).toBe(PAGE_MESSAGES.phoneInUse);
  });

  it("accepts a user re-sending its own phone number", async () => {
    expect((await update(url, { email: ANA, phoneNumber: "+15550000001" })).status).toBe(200);
  });

  it("frees a number once its owner changed it", async () => {
    expect((await update(url, { email: "fay.phone@clinic-a.test", phoneNumber: "+15559990000" })).status).toBe(200);
    expect((await update(url, { email: ANA, phoneNumber: FAY_PHONE })).status).toBe(200);
  });
});

describe("the demographic-field lock", () => {
  it.each(Object.entries(LOCKED_FIELDS))("refuses %s alone for a user with an ASSIGNED case", async (field, value) => {
    const reply = await update(url, { email: BEN, [field]: value });
    expect(reply.body).toEqual({ status: 400, success: false, message: PAGE_MESSAGES.locked });
  });

  it("writes nothing when a locked field comes with unlocked ones (atomic)", async () => {
    const before = await readUser(url, BEN);
    const reply = await update(url, { email: BEN, firstName: "Benjamin", city: "Paris", phoneNumber: "+15551112222" });
    expect(reply.body.message).toBe(PAGE_MESSAGES.locked);
    expect(await readUser(url, BEN)).toEqual(before);
    // The phone number it tried to take is still free.
    expect((await update(url, { email: ANA, phoneNumber: "+15551112222" })).status).toBe(200);
  });

  it("refuses a locked field re-sent unchanged (presence, not change, fires the rule)", async () => {
    expect((await update(url, { email: BEN, firstName: "Ben" })).body.message).toBe(PAGE_MESSAGES.locked);
  });

  it("lets a locked user update the other fields", async () => {
    expect((await update(url, { email: BEN, city: "Paris", phoneNumber: "+15551112222" })).status).toBe(200);
  });

  it.each([
    ["ASSIGNED", BEN],
    ["APPROVED", "ivy.approved@clinic-a.test"],
    ["REJECTED", "jon.rejected@clinic-a.test"],
    ["NO_DECISION", "kim.nodecision@clinic-a.test"],
    ["IN_PROGRESS in the other organization", "gus.both@clinic-a.test"],
  ])("locks for a case %s", async (_, email) => {
    expect((await update(url, { email, lastName: "Changed" })).body.message).toBe(PAGE_MESSAGES.locked);
  });

  it("does not lock for OPEN and ABANDONED cases", async () => {
    expect((await update(url, { email: CARLA, ...LOCKED_FIELDS })).status).toBe(200);
  });

  it("sees an admin change at once, and a reset undoes it", async () => {
    const patched = await admin(url, "PATCH", "/cases/c-carla-1", { status: "IN_PROGRESS" });
    expect(patched.body).toMatchObject({ id: "c-carla-1", status: "IN_PROGRESS" });
    expect((await update(url, { email: CARLA, firstName: "Carlotta" })).body.message).toBe(PAGE_MESSAGES.locked);
    expect((await admin(url, "POST", "/reset")).status).toBe(200);
    expect((await update(url, { email: CARLA, firstName: "Carlotta" })).status).toBe(200);
  });

  it("sees a case added through the admin API", async () => {
    const created = await admin(url, "POST", "/cases", { id: "c-ana-new", userId: "u-ana", organizationId: "org-clinic-a", status: "APPROVED" });
    expect(created.status).toBe(201);
    expect((await update(url, { email: ANA, dob: "1990-04-13" })).body.message).toBe(PAGE_MESSAGES.locked);
  });
});

describe("inferred errors", () => {
  it.each([
    ["missing", null],
    ["empty", ""],
  ])("refuses a %s API key with 400 'Secret key not provided!'", async (_, key) => {
    const reply = await update(url, { email: ANA }, { key });
    expect(reply.body).toEqual({ status: 400, success: false, message: "Secret key not provided!" });
  });

  it.each([
    ["unknown", "cvk_test_nope_00000000"],
    ["case-changed", KEY_A.toUpperCase()],
    ["duplicated", `${KEY_A}, ${KEY_A}`],
  ])("refuses an %s API key, never echoing it", async (_, key) => {
    const reply = await update(url, { email: ANA }, { key: key! });
    expect(reply.status).toBe(400);
    expect(reply.body.message).toBe("Organization with provided cv-api-key not found!");
  });

  it("does not read the API key from the query string", async () => {
    const response = await fetch(`${url}/api/v1/users?cv-api-key=${KEY_A}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ action: "UPDATE_PROFILE", data: { email: ANA } }),
    });
    expect(((await response.json()) as { message: string }).message).toBe("Secret key not provided!");
  });

  it.each([
    ["text/plain", "text/plain"],
    ["missing", null],
    ["form", "application/x-www-form-urlencoded"],
    ["another charset", "application/json; charset=latin1"],
  ])("refuses a JSON body sent as %s with 415", async (_, contentType) => {
    const reply = await update(url, { email: ANA, city: "Boston" }, { contentType });
    expect(reply.status).toBe(415);
    expect((await readUser(url, ANA)).city).toBe("Springfield");
  });

  it("accepts application/json; charset=utf-8", async () => {
    expect((await update(url, { email: ANA }, { contentType: "application/json; charset=utf-8" })).status).toBe(200);
  });

  // GET is the search of the vendor's search users page (test/fake/search-users.test.ts).
  it.each(["PUT", "PATCH", "DELETE"])("answers %s with 405 and Allow: GET, POST", async (method) => {
    const reply = await send(url, { action: "UPDATE_PROFILE", data: { email: ANA } }, { method });
    expect(reply.status).toBe(405);
    expect(reply.headers.get("allow")).toBe("GET, POST");
  });

  it("answers a body over the limit with 413 and keeps serving", async () => {
    const big = JSON.stringify({ action: "UPDATE_PROFILE", data: { email: ANA, address: "x".repeat(200_000) } });
    expect((await send(url, big)).status).toBe(413);
    expect((await update(url, { email: ANA })).status).toBe(200);
  });

  it("names the field and the rule in a validation error", async () => {
    const reply = await update(url, { email: ANA, dob: "1995-02-30", gender: "male" });
    expect(reply.body.message).toContain("data.dob must be a real calendar date in YYYY-MM-DD format");
    expect(reply.body.message).toContain("data.gender must be one of MALE, FEMALE, OTHER");
  });

  it("checks the API key before the body", async () => {
    expect((await send(url, "{nope", { key: null })).body.message).toBe("Secret key not provided!");
  });

  it("answers an unknown path with a JSON 404", async () => {
    const response = await fetch(`${url}/api/v2/users`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ status: 404, success: false });
  });
});

describe("admin API", () => {
  it("lists users and cases", async () => {
    const users = await admin(url, "GET", "/users");
    expect(users.body.map((u: { email: string }) => u.email)).toContain(ANA);
    expect((await admin(url, "GET", "/cases?userId=u-ben")).body).toHaveLength(1);
  });

  it("refuses a write that would leave an invalid state, and changes nothing", async () => {
    const reply = await admin(url, "PATCH", "/cases/c-carla-1", { status: "DONE" });
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/^Invalid record: status must be one of OPEN/);
    expect((await admin(url, "GET", "/cases/c-carla-1")).body.status).toBe("OPEN");
  });

  it("refuses a phone number another user has", async () => {
    const reply = await admin(url, "PATCH", "/users/u-ana", { phoneNumber: FAY_PHONE });
    expect(reply.status).toBe(400);
    expect(reply.body.message).toContain("phoneNumber: is already the phone number of");
  });

  it("answers an unknown record with a 404 envelope", async () => {
    const reply = await admin(url, "GET", "/users/u-nobody");
    expect(reply.body).toMatchObject({ status: 404, success: false });
  });

  it("answers malformed JSON in the envelope, without a stack trace", async () => {
    const response = await fetch(`${url}/__admin/users/u-ana`, { method: "PATCH", headers: { "content-type": "application/json" }, body: "{x" });
    const body = (await response.json()) as { message: string };
    expect(response.status).toBe(400);
    expect(body.message).toMatch(/^Request body is not valid JSON/);
    expect(JSON.stringify(body)).not.toMatch(/node_modules|at .*\.js/);
  });

  it("does not serve json-server's nested routes, which openapi.yaml does not describe", async () => {
    const reply = await admin(url, "GET", "/users/u-ben/cases");
    expect(reply.body).toMatchObject({ status: 404, success: false, message: "Not found: /__admin/users/u-ben/cases" });
  });

  it("dumps the whole state in the fixtures format", async () => {
    const reply = await admin(url, "GET", "/db");
    expect(reply.body.users).toHaveLength(fake.state().users.length);
  });
});
