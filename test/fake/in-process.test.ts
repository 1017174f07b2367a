// The fake without a socket: createFake's fetch, used by the typed client and by the conformance runner; each
// fake its own state; faults, the journal and the answer check, all through the same core as over HTTP.
import { describe, expect, it } from "vitest";
import {
  createClient,
  createFake,
  DEFAULT_SCENARIOS_DIR,
  failureKind,
  loadScenarios,
  runConformance,
  withDefaultFixtures,
  type FixtureSet,
} from "../../src/index.js";
import { loadContract } from "../../src/contract/contract.js";
import { answerProblem } from "../../src/fake/core/answer-check.js";
import { loadTarget } from "../../src/conformance/target.js";
import { json, KEY_A } from "../support/http.js";

const BASE = "http://fake.invalid";
const post = (fake: { fetch: typeof fetch }, data: Record<string, unknown>, headers: Record<string, string> = {}) =>
  fake.fetch(`${BASE}/api/v1/users`, {
    method: "POST",
    headers: { "content-type": "application/json", "cv-api-key": KEY_A, ...headers },
    body: JSON.stringify({ action: "UPDATE_PROFILE", data }),
  });
const userOf = (fake: { state(): FixtureSet }, email: string) => fake.state().users.find((u) => u.email === email)!;

describe("createFake: the fake in-process", () => {
  it("serves the typed client with no port, and keeps its state", async () => {
    const fake = createFake();
    const client = createClient({ baseUrl: BASE, apiKey: KEY_A, fetch: fake.fetch });
    const { data, error } = await client.updateUserProfile({ email: "ana.free@clinic-a.test", city: "Boston" });
    expect(error).toBeUndefined();
    expect(data?.data.user.city).toBe("Boston");
    expect(userOf(fake, "ana.free@clinic-a.test").city).toBe("Boston");
    const locked = await client.updateUserProfile({ email: "ben.locked@clinic-a.test", firstName: "Benjamin" });
    expect(failureKind(locked.error)).toBe("demographicFieldsLocked");
  });

  it("gives each fake its own state, even when tests run at once", async () => {
    const [a, b] = [createFake(), createFake()];
    await Promise.all([post(a, { email: "ana.free@clinic-a.test", city: "Oslo" }), post(b, { email: "ana.free@clinic-a.test", city: "Rome" })]);
    expect(userOf(a, "ana.free@clinic-a.test").city).toBe("Oslo");
    expect(userOf(b, "ana.free@clinic-a.test").city).toBe("Rome");
    expect(userOf(createFake(), "ana.free@clinic-a.test").city).not.toMatch(/Oslo|Rome/);
  });

  it("passes the whole conformance suite through the runner's fetch, no port", async () => {
    const fake = createFake();
    const contract = loadContract();
    const scenarios = loadScenarios(DEFAULT_SCENARIOS_DIR, contract);
    const target = loadTarget("conformance/targets/fake-default.yaml");
    const summary = await runConformance({ baseUrl: BASE, apiKey: KEY_A, target, scenarios, fetch: fake.fetch });
    expect(summary.results.filter((r) => r.status === "failed").map((r) => r.id)).toEqual([]);
    expect(summary.results.filter((r) => r.status === "passed").length).toBeGreaterThan(30);
    expect(fake.requests().length).toBeGreaterThan(30);
  });

  it("answers a request with a body too large, a wrong method and an unknown path in the envelope", async () => {
    const fake = createFake({ bodyLimit: 64 });
    const big = await post(fake, { email: "ana.free@clinic-a.test", city: "x".repeat(100) });
    expect([big.status, (await json(big)).message]).toEqual([413, "Request body is larger than 64 bytes"]);
    const put = await fake.fetch(`${BASE}/api/v1/users`, { method: "PUT", headers: { "cv-api-key": KEY_A } });
    expect([put.status, put.headers.get("allow")]).toEqual([405, "GET, POST"]);
    for (const path of ["/elsewhere", "/__admin/requests"]) {
      const other = await fake.fetch(`${BASE}${path}`);
      expect(other.status).toBe(404);
      expect(await json(other)).toMatchObject({
        success: false,
        message: expect.stringContaining("In-process, the fake serves GET and POST /api/v1/users only"),
      });
    }
  });

  it("adds your users to the defaults (withDefaultFixtures)", async () => {
    const fake = createFake({
      fixtures: withDefaultFixtures({
        users: [
          {
            id: "u-mine",
            email: "me@clinic-a.test",
            role: "USER",
            organizationIds: ["org-clinic-a"],
            firstName: "Me",
            lastName: "Mine",
            phoneNumber: null,
          } as never,
        ],
      }),
    });
    expect((await post(fake, { email: "me@clinic-a.test", city: "Lyon" })).status).toBe(200);
    expect((await post(fake, { email: "ana.free@clinic-a.test", city: "Lyon" })).status).toBe(200);
  });
});

describe("faults, in-process", () => {
  it("forces a status for the next request only, and a faulted request changes nothing", async () => {
    const fake = createFake();
    const fault = fake.faults.add({ status: 503, times: 1 });
    expect(fault).toMatchObject({ id: "fault-1", remaining: 1 });
    const first = await post(fake, { email: "ana.free@clinic-a.test", city: "Faulted" });
    expect([first.status, await json(first)]).toEqual([
      503,
      { status: 503, success: false, message: "Fault injected by the fake server: 503 Service Unavailable" },
    ]);
    expect(userOf(fake, "ana.free@clinic-a.test").city).not.toBe("Faulted");
    expect(fake.faults.list()).toEqual([]);
    expect((await post(fake, { email: "ana.free@clinic-a.test", city: "Fine" })).status).toBe(200);
  });

  it("matches by email, any case, and answers 429 with Retry-After", async () => {
    const fake = createFake();
    fake.faults.add({ email: "ANA.free@clinic-a.test", status: 429, retryAfter: 7 });
    const ana = await post(fake, { email: "ana.free@clinic-a.test", city: "A" });
    expect([ana.status, ana.headers.get("retry-after")]).toEqual([429, "7"]);
    expect((await post(fake, { email: "carla.open@clinic-a.test", city: "C" })).status).toBe(200);
  });

  it("delays the rules' answer, and a signal can give up on it", async () => {
    const fake = createFake();
    fake.faults.add({ delay: { ms: 120 }, times: 2 });
    const started = performance.now();
    const slow = await post(fake, { email: "ana.free@clinic-a.test", city: "Late" });
    expect(slow.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
    await expect(
      fake.fetch(`${BASE}/api/v1/users`, {
        method: "POST",
        headers: { "content-type": "application/json", "cv-api-key": KEY_A },
        body: "{}",
        signal: AbortSignal.timeout(20),
      }),
    ).rejects.toMatchObject({ name: "TimeoutError" });
  });

  it("hangs until the client gives up, and close() ends what still hangs", async () => {
    const fake = createFake();
    fake.faults.add({ effect: "hang" });
    const hanging = fake.fetch(`${BASE}/api/v1/users`, {
      method: "POST",
      headers: { "content-type": "application/json", "cv-api-key": KEY_A },
      body: "{}",
    });
    const outcome = Promise.race([
      hanging.then(
        () => "answered",
        () => "rejected",
      ),
      new Promise((r) => setTimeout(() => r("still hanging"), 50)),
    ]);
    expect(await outcome).toBe("still hanging");
    await fake.close();
    await expect(hanging).rejects.toThrow("fetch failed");
  });

  it("ends a hang or a delay when the client gave up while its body was still being read", async () => {
    // The signal fires before the fake waits: nobody listens to it any more, so the fake must look first.
    for (const spec of [{ effect: "hang" as const }, { delay: { ms: 5000 } }]) {
      const fake = createFake();
      fake.faults.add(spec);
      const controller = new AbortController();
      const pending = fake.fetch(`${BASE}/api/v1/users`, {
        method: "POST",
        headers: { "content-type": "application/json", "cv-api-key": KEY_A },
        body: "{}",
        signal: controller.signal,
      });
      controller.abort(new Error("gave up"));
      const outcome = await Promise.race([
        pending.then(
          () => "answered",
          (e: Error) => e.message,
        ),
        new Promise((r) => setTimeout(() => r("still waiting"), 1000)),
      ]);
      expect(outcome, JSON.stringify(spec)).toBe("gave up");
      await fake.close();
    }
  });

  it("resets or empties the connection as Node's fetch reports it, and sends broken JSON when asked", async () => {
    const fake = createFake();
    fake.faults.add({ effect: "reset", times: 1 });
    fake.faults.add({ effect: "empty", times: 1 });
    fake.faults.add({ effect: "malformedJson", times: 1 });
    await expect(post(fake, { email: "ana.free@clinic-a.test" })).rejects.toMatchObject({ message: "fetch failed", cause: { code: "ECONNRESET" } });
    await expect(post(fake, { email: "ana.free@clinic-a.test" })).rejects.toMatchObject({
      message: "fetch failed",
      cause: { code: "UND_ERR_SOCKET" },
    });
    const broken = await post(fake, { email: "ana.free@clinic-a.test" });
    expect(broken.status).toBe(200);
    await expect(broken.json()).rejects.toThrow(SyntaxError);
  });

  it("reads a fault from the Prefer header, as Prism does, and refuses one it cannot use", async () => {
    const fake = createFake();
    const forced = await post(fake, { email: "ana.free@clinic-a.test", city: "X" }, { prefer: "return=minimal, code=502" });
    expect(forced.status).toBe(502);
    const wrong = await post(fake, { email: "ana.free@clinic-a.test" }, { prefer: "code=418" });
    expect([wrong.status, (await json(wrong)).message]).toEqual([400, "Invalid fault: Prefer header: status must be one of 429, 500, 502, 503"]);
    expect((await post(fake, { email: "ana.free@clinic-a.test", city: "Y" }, { prefer: "return=minimal" })).status).toBe(200);
  });

  it("refuses a fault that is not one, saying what to change", () => {
    const fake = createFake();
    expect(() => fake.faults.add({})).toThrow("a fault needs a delay, a status or an effect");
    expect(() => fake.faults.add({ status: 503, effect: "hang" })).toThrow("not both");
    expect(() => fake.faults.add({ delay: { min: 500, max: 100 } })).toThrow("delay.min must not be more than delay.max");
    expect(() => fake.faults.add({ status: 500, retryAfter: 3 })).toThrow("retryAfter goes with status 429");
  });

  it("is cleared by reset, with the journal", async () => {
    const fake = createFake();
    fake.faults.add({ status: 500 });
    await post(fake, { email: "ana.free@clinic-a.test" });
    fake.reset();
    expect(fake.faults.list()).toEqual([]);
    expect(fake.requests()).toEqual([]);
  });
});

describe("the request journal, in-process", () => {
  it("records method, path, headers (key redacted), body, status, outcome, organization and duration", async () => {
    const fake = createFake();
    await post(fake, { email: "fay.phone@clinic-a.test", phoneNumber: "+15550000001" });
    const [entry] = fake.requests();
    expect(entry).toMatchObject({
      id: 1,
      method: "POST",
      path: "/api/v1/users",
      status: 400,
      outcome: "phoneNumberInUse",
      organizationId: "org-clinic-a",
      body: { action: "UPDATE_PROFILE", data: { email: "fay.phone@clinic-a.test", phoneNumber: "+15550000001" } },
    });
    expect(entry!.headers["cv-api-key"]).toBe("[redacted]");
    expect(JSON.stringify(fake.requests())).not.toContain(KEY_A);
    expect(Date.parse(entry!.time)).not.toBeNaN();
    expect(entry!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("filters by email (any case), status and time", async () => {
    const fake = createFake();
    await post(fake, { email: "ana.free@clinic-a.test", city: "A" });
    await post(fake, { email: "nobody@clinic-a.test", city: "A" });
    await new Promise((r) => setTimeout(r, 5)); // times are in milliseconds: keep "between" apart from both sides
    const between = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    await post(fake, { email: "ANA.FREE@clinic-a.test", city: "B" });
    expect(fake.requests({ email: "Ana.Free@clinic-a.test" }).map((e) => e.id)).toEqual([1, 3]);
    expect(fake.requests({ status: 400 }).map((e) => e.outcome)).toEqual(["userDoesNotExist"]);
    expect(fake.requests({ since: between }).map((e) => e.id)).toEqual([3]);
    expect(() => fake.requests({ since: "yesterday" })).toThrow("ISO 8601");
  });

  it("keeps the last N (oldest dropped), cuts long bodies, and can be off", async () => {
    const small = createFake({ journal: 2 });
    for (const city of ["A", "B", "C"]) await post(small, { email: "ana.free@clinic-a.test", city });
    expect(small.requests().map((e) => (e.body as { data: { city: string } }).data.city)).toEqual(["B", "C"]);
    const cut = await small.fetch(`${BASE}/api/v1/users`, {
      method: "POST",
      headers: { "content-type": "application/json", "cv-api-key": KEY_A },
      body: `{"x":"${"y".repeat(20_000)}"}`,
    });
    expect(cut.status).toBe(400);
    const last = small.requests().at(-1)!;
    expect([last.bodyTruncated, last.bodyText!.length, last.body]).toEqual([true, 8192, undefined]);
    const off = createFake({ journal: 0 });
    await post(off, { email: "ana.free@clinic-a.test", city: "A" });
    expect(off.requests()).toEqual([]);
    expect(() => createFake({ journal: -1 })).toThrow("0 turns it off");
  });
});

describe("the answer check", () => {
  const contract = loadContract();
  it("names what breaks openapi.yaml: an unlisted status, a body the status's schema refuses", () => {
    expect(answerProblem(contract, "/api/v1/users", "POST", { status: 418, headers: {}, body: {}, outcome: "x" })).toMatch(
      /answered 418, which openapi.yaml does not list/,
    );
    expect(
      answerProblem(contract, "/api/v1/users", "POST", { status: 400, headers: {}, body: { status: 400, success: true }, outcome: "x" }),
    ).toMatch(/a body openapi.yaml refuses/);
    expect(
      answerProblem(contract, "/api/v1/users", "PUT", {
        status: 405,
        headers: {},
        body: { status: 405, success: false, message: "m" },
        outcome: "x",
      }),
    ).toBeUndefined();
  });

  it("is on in this test suite, so every answer above was checked", () => {
    expect(process.env.CV_FAKE_CHECK_ANSWERS).toBe("1");
  });
});
