// Faults and the request journal over HTTP, through the admin API (WireMock's habits): what an integrator's app
// meets on a real socket when a fault asks for a reset, an empty close, a hang or a delay.
import { request as httpRequest } from "node:http";
import { describe, expect, it } from "vitest";
import { startFakeServer } from "../../src/index.js";
import { json, KEY_A, update } from "../support/http.js";
import { useFakeServer } from "../support/use-fake.js";

const admin = (base: string, path: string, init: RequestInit = {}) =>
  fetch(`${base}/__admin${path}`, { ...init, headers: { "content-type": "application/json", ...init.headers } });
const addFault = (base: string, fault: unknown) => admin(base, "/faults", { method: "POST", body: JSON.stringify(fault) });

/** A raw POST whose fate on the socket is reported as it happens: an answer, a reset, a close, or nothing. */
function rawPost(url: string, waitMs: number): Promise<string> {
  return new Promise((resolve) => {
    const body = JSON.stringify({ action: "UPDATE_PROFILE", data: { email: "ana.free@clinic-a.test", city: "Raw" } });
    const req = httpRequest(`${url}/api/v1/users`, { method: "POST", headers: { "content-type": "application/json", "cv-api-key": KEY_A } }, (res) =>
      resolve(`answered ${res.statusCode}`),
    );
    const timer = setTimeout(() => {
      req.destroy();
      resolve("no answer");
    }, waitMs);
    req.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code ?? error.message);
    });
    req.end(body);
  });
}

describe("faults over HTTP", () => {
  const fake = useFakeServer();

  it("are added, read, listed and removed through /__admin/faults, with a Location", async () => {
    const created = await addFault(fake().url, { email: "ana.free@clinic-a.test", status: 500, times: 2 });
    expect(created.status).toBe(201);
    const fault = await json(created);
    expect(fault).toEqual({ id: "fault-1", email: "ana.free@clinic-a.test", status: 500, times: 2, remaining: 2 });
    expect(created.headers.get("location")).toBe("/__admin/faults/fault-1");
    expect(await json(fetch(`${fake().url}${created.headers.get("location")}`))).toEqual(fault);
    expect((await update(fake().url, { email: "ana.free@clinic-a.test", city: "X" })).status).toBe(500);
    expect((await json(admin(fake().url, "/faults"))).faults).toEqual([{ ...fault, remaining: 1 }]);
    expect((await admin(fake().url, "/faults/fault-1", { method: "DELETE" })).status).toBe(200);
    expect((await admin(fake().url, "/faults/fault-1", { method: "DELETE" })).status).toBe(404);
    expect((await update(fake().url, { email: "ana.free@clinic-a.test", city: "X" })).status).toBe(200);
  });

  it("refuses a body that is not a fault, in the envelope, and changes nothing", async () => {
    for (const body of [{ status: 418 }, { status: 503, effect: "hang" }, { delay: { min: 9, max: 1 } }, { effect: "hang", color: "red" }, {}]) {
      const refused = await addFault(fake().url, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect((await json(refused)).message).toMatch(/^Invalid fault: /);
    }
    expect((await json(admin(fake().url, "/faults"))).faults).toEqual([]);
  });

  it("reset the connection, close it empty, or hang, on a real socket", async () => {
    await addFault(fake().url, { effect: "reset", times: 1 });
    expect(await rawPost(fake().url, 2000)).toBe("ECONNRESET");
    await addFault(fake().url, { effect: "empty", times: 1 });
    expect(await rawPost(fake().url, 2000)).toMatch(/ECONNRESET|socket hang up/);
    await addFault(fake().url, { effect: "hang", times: 1 });
    expect(await rawPost(fake().url, 150)).toBe("no answer");
    expect(await rawPost(fake().url, 2000)).toBe("answered 200"); // used up: the rules answer again
  });

  it("delay an answer by the time asked, on the socket too", async () => {
    await addFault(fake().url, { delay: { ms: 150 }, times: 1 });
    const started = performance.now();
    expect((await update(fake().url, { email: "ana.free@clinic-a.test", city: "Late" })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(130);
  });

  it("are cleared by POST /__admin/reset", async () => {
    await addFault(fake().url, { status: 502 });
    await admin(fake().url, "/reset", { method: "POST", body: "{}" });
    expect((await update(fake().url, { email: "ana.free@clinic-a.test", city: "X" })).status).toBe(200);
  });

  it("close a server with a hanging request at once", async () => {
    const own = await startFakeServer();
    own.faults.add({ effect: "hang" });
    const pending = rawPost(own.url, 5000);
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    await own.close();
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await pending).toMatch(/ECONNRESET|socket hang up/);
  });
});

describe("the request journal over HTTP", () => {
  const fake = useFakeServer();

  it("lists what the API was sent, filtered, with the key redacted; admin calls are not in it", async () => {
    await update(fake().url, { email: "ana.free@clinic-a.test", city: "One" });
    await update(fake().url, { email: "nobody@clinic-a.test", city: "Two" });
    const all = await json(admin(fake().url, "/requests"));
    expect(all).toMatchObject({ held: 2, capacity: 1000, dropped: 0 });
    expect(all.requests.map((e: { status: number; outcome: string }) => [e.status, e.outcome])).toEqual([
      [200, "success"],
      [400, "userDoesNotExist"],
    ]);
    expect(JSON.stringify(all)).not.toContain(KEY_A);
    const byEmail = await json(admin(fake().url, "/requests?email=NOBODY@clinic-a.test"));
    expect(byEmail.requests.map((e: { id: number }) => e.id)).toEqual([2]);
    const byStatus = await json(admin(fake().url, "/requests?status=200"));
    expect(byStatus.requests.map((e: { id: number }) => e.id)).toEqual([1]);
    const future = await json(admin(fake().url, `/requests?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`));
    expect(future.requests).toEqual([]);
  });

  it("refuses a filter it cannot use, and is emptied by DELETE and by reset", async () => {
    expect((await admin(fake().url, "/requests?since=yesterday")).status).toBe(400);
    expect((await admin(fake().url, "/requests?color=red")).status).toBe(400);
    await update(fake().url, { email: "ana.free@clinic-a.test", city: "One" });
    expect((await admin(fake().url, "/requests", { method: "DELETE" })).status).toBe(200);
    expect((await json(admin(fake().url, "/requests"))).held).toBe(0);
    await update(fake().url, { email: "ana.free@clinic-a.test", city: "Two" });
    await admin(fake().url, "/reset", { method: "POST", body: "{}" });
    expect((await json(admin(fake().url, "/requests"))).held).toBe(0);
  });
});
