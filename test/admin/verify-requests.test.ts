// Verification (WireMock's verify): POST /__admin/requests/find and /count over HTTP, fake.verify in-process with its
// near misses, verify from the MSW entry, and the matchers the fake refuses (bad shape, bad or catastrophic regex).
import { setupServer } from "msw/node";
import { describe, expect, it } from "vitest";
import { createFake, MatcherError, VerificationError, type JournalEntry } from "../../src/index.js";
import { compileSafePattern } from "../../src/fake/journal/safe-pattern.js";
import { handlers, verify } from "../../src/msw/index.js";
import { expectConforms, KEY_A, toReply, update } from "../support/http.js";
import { useFakeServer } from "../support/use-fake.js";

const ANA = "ana.free@clinic-a.test";
const BEN = "ben.locked@clinic-a.test";

/** POSTs a matcher to the admin API; the answer is checked against openapi.yaml. */
async function admin(baseUrl: string, path: "/__admin/requests/find" | "/__admin/requests/count", matcher: unknown) {
  const response = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof matcher === "string" ? matcher : JSON.stringify(matcher),
  });
  const reply = await toReply(response);
  expectConforms(path, "post", reply);
  return reply;
}

describe("POST /__admin/requests/find and /count", () => {
  const fake = useFakeServer();

  it("find the requests matching every part given, and count them", async () => {
    await update(fake().url, { email: ANA, city: "Boston" });
    await update(fake().url, { email: ANA, city: "Lyon" }, { headers: { "x-trace": "run-42" } });
    await update(fake().url, { email: BEN, lastName: "Other" });

    const found = await admin(fake().url, "/__admin/requests/find", { method: "post", path: "/api/v1/users", data: { email: ANA }, status: 200 });
    expect(found.status).toBe(200);
    expect(found.body.requests.map((e: JournalEntry) => (e.body as { data: { city: string } }).data.city)).toEqual(["Boston", "Lyon"]);
    // The journal's redaction holds in what find returns: the key is never shown.
    expect(found.body.requests.map((e: JournalEntry) => e.headers["cv-api-key"])).toEqual(["[redacted]", "[redacted]"]);
    expect(JSON.stringify(found.body)).not.toContain(KEY_A);
    // Nor can a matcher find a request by its key: the journal never held it.
    expect((await admin(fake().url, "/__admin/requests/count", { headers: { "cv-api-key": KEY_A } })).body).toEqual({ count: 0 });
    expect((await admin(fake().url, "/__admin/requests/count", { headers: { "cv-api-key": { contains: "clinic_a" } } })).body).toEqual({ count: 0 });

    const patterns = { data: { city: { matches: "^L" } }, headers: { "X-Trace": { contains: "42" } }, outcome: "success" };
    expect((await admin(fake().url, "/__admin/requests/count", patterns)).body).toEqual({ count: 1 });
    expect((await admin(fake().url, "/__admin/requests/count", { status: 400, data: { email: BEN } })).body).toEqual({ count: 1 });
    expect((await admin(fake().url, "/__admin/requests/count", {})).body).toEqual({ count: 3 });
    expect((await admin(fake().url, "/__admin/requests/count", { method: "GET" })).body).toEqual({ count: 0 });
  });

  it("refuse a body that is not a matcher with 400 in the admin envelope, saying what is wrong", async () => {
    const unknownPart = await admin(fake().url, "/__admin/requests/find", { url: "/api/v1/users" });
    expect([unknownPart.status, unknownPart.body.success]).toEqual([400, false]);
    expect(unknownPart.body.message).toMatch(/^Invalid request matcher: .*url/);

    const badRegex = await admin(fake().url, "/__admin/requests/count", { path: { matches: "(unclosed" } });
    expect(badRegex.status).toBe(400);
    expect(badRegex.body.message).toMatch(/^Invalid request matcher: path\.matches "\(unclosed" is not a regular expression/);

    const tooLong = await admin(fake().url, "/__admin/requests/count", { path: { matches: "a".repeat(201) } });
    expect([tooLong.status, tooLong.body.message]).toEqual([400, expect.stringMatching(/^Invalid request matcher: .*200/)]);

    const notJson = await admin(fake().url, "/__admin/requests/find", "{");
    expect(notJson.status).toBe(400);
  });

  it("refuse a regex that could backtrack exponentially, and answer at once", async () => {
    // A header value that would make (a+)+$ take longer than the test runs, were the regex run on it.
    await update(fake().url, { email: ANA, city: "Boston" }, { headers: { "x-trace": `${"a".repeat(40)}!` } });
    // Were one of these run on that value, the request would not come back before the test's timeout.
    for (const matches of ["(a+)+$", "(a*)*b", "(a|aa)+$", "((ab)+c)*", "(x+x+)+y", "(a)\\1", "(a{1,9}){2,}"]) {
      const reply = await admin(fake().url, "/__admin/requests/count", { headers: { "x-trace": { matches } } });
      expect([matches, reply.status, reply.body.message]).toEqual([matches, 400, expect.stringMatching(/exponential time/)]);
    }
    // Safe repetitions are not refused.
    for (const matches of ["^a+!$", "(ab)?c", "[a-z]+@(clinic-a)\\.test", "a{3}"])
      expect([matches, compileSafePattern(matches).ok]).toEqual([matches, true]);
  });
});

describe("fake.verify in-process", () => {
  it("passes when as many requests match as times says, at least one by default", async () => {
    const fake = createFake();
    try {
      const send = (data: Record<string, unknown>) =>
        fake.fetch("http://fake/api/v1/users", {
          method: "POST",
          headers: { "content-type": "application/json", "cv-api-key": KEY_A },
          body: JSON.stringify({ action: "UPDATE_PROFILE", data }),
        });
      await send({ email: ANA, city: "Boston" });
      await send({ email: ANA, city: "Lyon" });
      fake.verify({ data: { email: ANA } });
      fake.verify({ data: { email: ANA } }, { times: 2 });
      fake.verify({ data: { email: BEN } }, { times: 0 });
      fake.verify({ data: { city: { contains: "o" } } }, { times: { atLeast: 1, atMost: 2 } });
      expect(fake.countRequests({ data: { city: "Lyon" } })).toBe(1);
      expect(fake.findRequests({ data: { city: "Lyon" } }).map((e) => e.id)).toEqual([2]);
      expect(() => fake.verify({ data: { email: ANA } }, { times: 1 })).toThrow(VerificationError);
    } finally {
      await fake.close();
    }
  });

  it("fails with the expected and actual counts and the 3 closest requests, each with the parts that differ", async () => {
    const fake = createFake();
    try {
      const send = (data: Record<string, unknown>) =>
        fake.fetch("http://fake/api/v1/users", {
          method: "POST",
          headers: { "content-type": "application/json", "cv-api-key": KEY_A },
          body: JSON.stringify({ action: "UPDATE_PROFILE", data }),
        });
      await send({ email: ANA, city: "Boston" }); // #1: the city differs
      await send({ email: BEN, lastName: "Other" }); // #2: email and status differ
      await send({ email: ANA, city: "Paris" }); // #3: the city differs
      await send({ email: BEN, city: "Rome" }); // #4: the email and the city differ
      await fake.fetch("http://fake/api/v1/users?email=ana", { headers: { "cv-api-key": KEY_A } }); // #5: method, email, city

      let error: unknown;
      try {
        fake.verify({ method: "POST", data: { email: ANA, city: "Lyon" }, status: 200 }, { times: 1 });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(VerificationError);
      const failure = error as VerificationError;
      expect([failure.expected, failure.actual]).toEqual(["exactly 1 request", 0]);
      expect(failure.nearMisses.map((m) => [m.entry.id, m.differences.map((d) => d.part)])).toEqual([
        [3, ["data.city"]],
        [1, ["data.city"]],
        [4, ["data.email", "data.city"]],
      ]);
      const lines = failure.message.split("\n");
      expect(lines[0]).toBe(
        `Expected exactly 1 request matching {"method":"POST","data":{"email":"${ANA}","city":"Lyon"},"status":200}, but the fake saw 0.`,
      );
      expect(lines[1]).toBe("The closest 3 requests it saw:");
      expect(lines[2]).toBe("  1. #3 POST /api/v1/users → 200 success (1 part differs)");
      expect(lines[3]).toBe('    data.city: expected "Lyon", was "Paris"');
      expect(failure.message).toContain(`    data.email: expected "${ANA}", was "${BEN}"`);
      expect(failure.message).not.toContain(KEY_A);
    } finally {
      await fake.close();
    }
  });

  it("says so when the journal holds nothing, and refuses a matcher or a count that is not one", async () => {
    const fake = createFake();
    try {
      expect(() => fake.verify({ path: "/api/v1/users" })).toThrow(
        /^Expected at least 1 request matching .* but the fake saw 0\.\nNo other request came/,
      );
      expect(() => fake.verify({ path: { matches: "(a+)+" } })).toThrow(MatcherError);
      expect(() => fake.verify({ status: "200" } as never)).toThrow(/status/);
      expect(() => fake.countRequests({ path: { matches: "[" } })).toThrow(/path\.matches "\[" is not a regular expression/);
      expect(() => fake.verify({}, { times: -1 })).toThrow(RangeError);
    } finally {
      await fake.close();
    }
  });
});

describe("verify from the MSW entry", () => {
  it("verifies the requests the app sent through the handlers, near misses and all", async () => {
    const BASE = "https://api.carevalidate.example";
    const fake = createFake();
    const server = setupServer(...handlers(fake, { baseUrl: BASE }));
    server.listen({ onUnhandledRequest: "error" });
    try {
      await fetch(`${BASE}/api/v1/users`, {
        method: "POST",
        headers: { "content-type": "application/json", "cv-api-key": KEY_A },
        body: JSON.stringify({ action: "UPDATE_PROFILE", data: { email: ANA, city: "Boston" } }),
      });
      verify(fake, { method: "POST", data: { email: ANA, city: "Boston" } }, { times: 1 });
      let message = "";
      try {
        verify(fake, { data: { city: "Lyon" } });
      } catch (error) {
        message = (error as VerificationError).message;
      }
      expect(message.split("\n").slice(1)).toEqual([
        "The closest request it saw:",
        "  1. #1 POST /api/v1/users → 200 success (1 part differs)",
        '    data.city: expected "Lyon", was "Boston"',
      ]);
    } finally {
      server.close();
      await fake.close();
    }
  });
});
