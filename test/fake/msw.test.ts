// MSW 2.x: the app's own fetch, intercepted by setupServer, answered by an in-process fake (cv-contract-kit/msw).
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createFake } from "../../src/index.js";
import { handlers } from "../../src/msw/index.js";
import { json, KEY_A } from "../support/http.js";

const BASE = "https://api.carevalidate.example";
const fake = createFake();
const server = setupServer(...handlers(fake, { baseUrl: BASE }));

/** What an app under test would do: a plain global fetch to the real URL. */
const appUpdates = (data: Record<string, unknown>) =>
  fetch(`${BASE}/api/v1/users`, {
    method: "POST",
    headers: { "content-type": "application/json", "cv-api-key": KEY_A },
    body: JSON.stringify({ action: "UPDATE_PROFILE", data }),
  });

describe("cv-contract-kit/msw", () => {
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => fake.reset());
  afterAll(() => server.close());

  it("answers the app's plain fetch with the fake's rules and state", async () => {
    const ok = await appUpdates({ email: "ana.free@clinic-a.test", city: "Boston" });
    expect([ok.status, (await json(ok)).data.user.city]).toEqual([200, "Boston"]);
    expect(fake.state().users.find((u) => u.email === "ana.free@clinic-a.test")!.city).toBe("Boston");
    const locked = await appUpdates({ email: "ben.locked@clinic-a.test", lastName: "Other" });
    expect(await json(locked)).toEqual({
      status: 400,
      success: false,
      message: "Cannot update user profile fields (firstName, lastName, dob, gender) for user with cases",
    });
  });

  it("answers the app's search (GET /api/v1/users?email=, the vendor's search users page) from the same state", async () => {
    await appUpdates({ email: "ana.free@clinic-a.test", city: "Boston" });
    const found = await fetch(`${BASE}/api/v1/users?email=ANA`, { headers: { "cv-api-key": KEY_A } });
    const body = await json(found);
    expect([found.status, body.meta, body.data.map((u: { email: string; city: string }) => [u.email, u.city])]).toEqual([
      200,
      { hasMore: false, cursor: expect.any(String) },
      [["ana.free@clinic-a.test", "Boston"]],
    ]);
    const other = await fetch(`${BASE}/api/v1/users?email=eve`, { headers: { "cv-api-key": KEY_A } });
    expect((await json(other)).data).toEqual([]);
  });

  it("records the app's requests in the fake's journal", async () => {
    await appUpdates({ email: "carla.open@clinic-a.test", city: "Lyon" });
    expect(fake.requests().map((e) => [e.path, e.outcome, e.headers["cv-api-key"]])).toEqual([["/api/v1/users", "success", "[redacted]"]]);
  });

  it("turns the fake's faults into what the app would see: a status, or a network error", async () => {
    fake.faults.add({ status: 503, times: 1 });
    expect((await appUpdates({ email: "ana.free@clinic-a.test" })).status).toBe(503);
    fake.faults.add({ effect: "reset", times: 1 });
    await expect(appUpdates({ email: "ana.free@clinic-a.test" })).rejects.toThrow(TypeError);
    expect((await appUpdates({ email: "ana.free@clinic-a.test" })).status).toBe(200);
  });

  it("refuses a base URL that is not absolute, saying what to pass", () => {
    expect(() => handlers(fake, { baseUrl: "/api" })).toThrow('pass e.g. "https://api.carevalidate.com"');
  });
});
