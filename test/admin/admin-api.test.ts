// The admin API under attack (issue 10): races between admin writes and API updates, json-server's delay, method
// override, query syntax, regex search and JSONP, cross-site requests, and records the API itself would refuse.
// Every answer is checked against openapi.yaml by the admin() helper.
import { mkdtempSync, writeSync as realWriteSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { FixtureSet } from "../../src/index.js";
import { stateFileIo } from "../../src/fake/state/state-file.js";
import { admin, readUser, toReply, update, type Reply } from "../support/http.js";
import { spawnFake } from "../support/spawn-fake.js";
import { useFakeServers } from "../support/use-fake.js";
import { onDisk } from "../support/on-disk.js";

const start = useFakeServers();
afterEach(() => {
  vi.restoreAllMocks();
});

const stateFile = () => join(mkdtempSync(join(tmpdir(), "cv-admin-")), "state.json");
const dump = async (url: string) => (await admin(url, "GET", "/db")).body as FixtureSet;
const owners = (state: FixtureSet, phone: string) => state.users.filter((u) => u.phoneNumber === phone).map((u) => u.id);
const CARLA = "carla.open@clinic-a.test";

/** No HTML, no stack trace, no file path: the JSON envelope. */
function expectEnvelope(reply: Reply, status: number): void {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.headers.get("content-type")).toMatch(/^application\/json/);
  expect(reply.body).toMatchObject({ status, success: false });
  expect(reply.text).not.toMatch(/<html|<pre|\bat \S+ \(|node_modules|\/work\/|\/tmp\//i);
}

/** A raw admin request, for what the admin() helper would refuse to check; given up after 5 s (a frozen server). */
async function raw(url: string, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Reply> {
  return toReply(await fetch(`${url}/__admin${path}`, { method, headers, body, signal: AbortSignal.timeout(5000) }));
}

describe("finding 2: an admin write is checked and applied in the same tick", () => {
  it("gives a phone number to one user only, when two admin PATCHes and an API update race for it (50 rounds)", async () => {
    const file = stateFile();
    const fake = await start({ persist: file });
    let rounds = 0;
    for (let round = 0; round < 50; round++) {
      const phone = `+1555777${String(round).padStart(4, "0")}`;
      const replies = await Promise.all([
        admin(fake.url, "PATCH", "/users/u-ana", { phoneNumber: phone }),
        admin(fake.url, "PATCH", "/users/u-max", { phoneNumber: phone }),
        update(fake.url, { email: CARLA, phoneNumber: phone }),
      ]);
      expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
      expect(owners(await dump(fake.url), phone)).toHaveLength(1);
      rounds++;
    }
    await fake.close(); // closing again after the test is harmless
    const restarted = await start({ persist: file }); // the persisted state is valid: it starts
    expect(await dump(restarted.url)).toEqual(onDisk(file));
    console.log(`[admin] phone races: ${rounds} rounds of 2 admin PATCHes + 1 API update, one owner each time`);
  });

  it("does not serve json-server's ?_delay, so a delayed PATCH cannot sit between its check and its write", async () => {
    const fake = await start();
    const phone = "+15557770999";
    const started = performance.now();
    const [delayed, other] = await Promise.all([
      admin(fake.url, "PATCH", "/users/u-ana?_delay=1000", { phoneNumber: phone }),
      admin(fake.url, "PATCH", "/users/u-max", { phoneNumber: phone }),
    ]);
    expect(performance.now() - started).toBeLessThan(800);
    expectEnvelope(delayed, 400);
    expect(delayed.body.message).toMatch(/^Invalid query string: unknown parameter "_delay"/);
    expect(other.status).toBe(200);
    expect(owners(await dump(fake.url), phone)).toEqual(["u-max"]);
  });

  it("never loses an API update answered 200 while an admin write fails to save", async () => {
    const file = stateFile();
    const fake = await start({ persist: file });
    // The next save after the API update fails (ENOSPC): it can only be the admin PATCH's.
    let saves = 0;
    vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(stateFileIo, "writeSync").mockImplementation(((fd: number, buffer: Buffer, offset: number, length: number) => {
      if (offset === 0) saves++;
      if (saves >= 2) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      return realWriteSync(fd, buffer, offset, length);
    }) as typeof stateFileIo.writeSync);

    const patch = admin(fake.url, "PATCH", "/users/u-max?_delay=300", { city: "Paris" });
    const apiUpdate = await update(fake.url, { email: CARLA, city: "Lisbon" });
    expect(apiUpdate.status).toBe(200);
    expect((await patch).status).not.toBe(200);
    const carla = (state: FixtureSet) => state.users.find((u) => u.id === "u-carla")!;
    expect(carla(await dump(fake.url)).city).toBe("Lisbon");
    expect(carla(onDisk(file) as FixtureSet).city).toBe("Lisbon");
  });

  it("puts back only what a failed admin write touched: other changes stay", async () => {
    const file = stateFile();
    const fake = await start({ persist: file });
    expect((await update(fake.url, { email: CARLA, city: "Lisbon" })).status).toBe(200);
    vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(stateFileIo, "writeSync").mockImplementation(() => {
      throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    });
    expect((await admin(fake.url, "DELETE", "/users/u-ben")).status).toBe(503);
    const state = await dump(fake.url);
    expect(state.users.find((u) => u.id === "u-ben")).toBeDefined();
    expect(state.cases.find((c) => c.id === "c-ben-1")).toBeDefined(); // its cascade was put back too
    expect(state.users.find((u) => u.id === "u-carla")!.city).toBe("Lisbon");
  });

  it("writes nothing after SIGTERM: a stopped fake never overwrites its successor's state file", async () => {
    const file = stateFile();
    const first = await spawnFake(["--persist", file]);
    const pending = raw(first.url, "PATCH", "/users/u-max?_delay=1500", JSON.stringify({ city: "Paris" }), {
      "content-type": "application/json",
    }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 100));
    expect(await first.kill("SIGTERM")).toBe(0);
    await pending;

    const second = await spawnFake(["--persist", file]);
    try {
      expect((await update(second.url, { email: CARLA, city: "Lisbon" })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 2000)); // past the first one's delay
      const disk = onDisk(file) as FixtureSet;
      expect(disk.users.find((u) => u.id === "u-carla")!.city).toBe("Lisbon");
      expect(disk.users.find((u) => u.id === "u-max")!.city).not.toBe("Paris");
    } finally {
      await second.kill();
    }
  }, 20_000);
});

describe("finding 3: no method override", () => {
  it("does not turn a POST with X-HTTP-Method-Override: DELETE into a delete", async () => {
    const fake = await start();
    const reply = await raw(fake.url, "POST", "/organizations/org-clinic-a", "{}", {
      "content-type": "application/json",
      "x-http-method-override": "DELETE",
    });
    expectEnvelope(reply, 405);
    expect(reply.headers.get("allow")).toBe("GET, PATCH, PUT, DELETE");
    const viaQuery = await raw(fake.url, "POST", "/organizations?_method=DELETE", JSON.stringify({ id: "org-x", name: "X" }), {
      "content-type": "application/json",
    });
    expectEnvelope(viaQuery, 400);
    const state = await dump(fake.url);
    expect(state.organizations.map((o) => o.id)).toEqual(["org-clinic-a", "org-clinic-b"]);
    expect(state.apiKeys).toHaveLength(2);
    expect((await admin(fake.url, "PATCH", "/cases/c-carla-1", { status: "ASSIGNED" })).status).toBe(200); // later writes still work
  });

  it("refuses to delete an organization its users belong to, and deletes a user with its cases", async () => {
    const fake = await start();
    const refused = await admin(fake.url, "DELETE", "/organizations/org-clinic-a");
    expectEnvelope(refused, 400);
    expect(refused.body.message).toMatch(/^Invalid record: deleting it would leave \/users\/\d+\/organizationIds\/0: names no organization/);
    const deleted = await admin(fake.url, "DELETE", "/users/u-carla");
    expect(deleted.body.message).toBe("Deleted users/u-carla, and with it cases/c-carla-1, cases/c-carla-2");
  });
});

describe("finding 4: json-server's error handler is out of reach", () => {
  it.each([
    ["a bracketed _sort", "/users?_sort[x]=1"],
    ["a bracketed q", "/users?q[a]=1"],
    ["an invalid _like regex", "/users?email_like=("],
    ["a repeated parameter", "/users?email=a&email=b"],
    ["an unknown _sort field", "/users?_sort=password"],
    ["page 0", "/users?_page=0"],
  ])("answers %s with the 400 envelope", async (_, path) => {
    const fake = await start();
    expectEnvelope(await raw(fake.url, "GET", path), 400);
  });

  it("answers a read sent with a JSON body (which it skips) as the same read, and an unknown id with the 404 envelope", async () => {
    const fake = await start();
    const read = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const body = JSON.stringify({ ignored: "x".repeat(2000) });
      const req = httpRequest(
        `${fake.url}/__admin/users/u-ana`,
        { method: "GET", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
        (res) => {
          let text = "";
          res
            .setEncoding("utf8")
            .on("data", (chunk: string) => (text += chunk))
            .on("end", () => resolve({ status: res.statusCode!, body: text }));
        },
      );
      req.setTimeout(5000, () => req.destroy(new Error("the read with a body did not answer")));
      req.on("error", reject).end(body);
    });
    expect(read.status).toBe(200);
    expect(JSON.parse(read.body)).toMatchObject({ id: "u-ana" });
    const missing = await raw(fake.url, "GET", "/users/u-nobody");
    expectEnvelope(missing, 404);
    expect(missing.body.message).toContain("/__admin/users/u-nobody");
  });

  it("answers broken percent-encoding in an id with the 404 envelope", async () => {
    const fake = await start();
    expectEnvelope(await raw(fake.url, "GET", "/users/%ZZ"), 404);
  });

  it("creates a record once when two POSTs of one id race: 201 and 400, never a 500", async () => {
    const fake = await start();
    const record = { id: "c-twice", userId: "u-ana", organizationId: "org-clinic-a", status: "OPEN" };
    const replies = await Promise.all([admin(fake.url, "POST", "/cases", record), admin(fake.url, "POST", "/cases", record)]);
    expect(replies.map((r) => r.status).sort()).toEqual([201, 400]);
    expect(replies.find((r) => r.status === 400)!.body.message).toMatch(/duplicates id "c-twice"/);
  });

  it("still serves the documented queries: filters, sort, order and pages", async () => {
    const fake = await start();
    expect((await admin(fake.url, "GET", "/cases?userId=u-carla&status=OPEN")).body).toEqual([
      { id: "c-carla-1", userId: "u-carla", organizationId: "org-clinic-a", status: "OPEN" },
    ]);
    const page = await admin(fake.url, "GET", "/users?_sort=email&_order=desc&_page=2&_limit=3");
    expect(page.body.map((u: { email: string }) => u.email)).toEqual([
      "jon.rejected@clinic-a.test",
      "john.doe@example.com",
      "ivy.approved@clinic-a.test",
    ]);
    expect(page.headers.get("x-total-count")).toBe("14");
    expect(page.headers.get("link")).toContain("/__admin/users?");
  });
});

describe("finding 5: no regex search (ReDoS)", () => {
  it.each(["^(\\S+)+X$", "^(.*?){1,30}(.*?){1,30}X$"])("refuses email_like=%s at once, and keeps serving", async (pattern) => {
    const fake = await start();
    const started = performance.now();
    const [refused, meanwhile] = await Promise.all([
      raw(fake.url, "GET", `/users?email_like=${encodeURIComponent(pattern)}`),
      raw(fake.url, "GET", "/users/u-ana"),
    ]);
    expect(performance.now() - started).toBeLessThan(500);
    expectEnvelope(refused, 400);
    expect(meanwhile.status).toBe(200);
  });

  it("refuses full-text search (q) too", async () => {
    const fake = await start();
    expectEnvelope(await raw(fake.url, "GET", "/users?q=ana"), 400);
  });
});

describe("finding 7: no web page can read or reset the fake", () => {
  it("never answers JSONP: GET /db?callback=x is refused as JSON, not served as JavaScript", async () => {
    const fake = await start();
    const reply = await raw(fake.url, "GET", "/db?callback=x");
    expectEnvelope(reply, 400);
    expect(reply.text).not.toContain("cvk_test_");
  });

  it("needs Content-Type: application/json to reset or write, so an HTML form cannot", async () => {
    const fake = await start();
    await admin(fake.url, "PATCH", "/cases/c-carla-1", { status: "ASSIGNED" });
    for (const contentType of [undefined, "application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"]) {
      const headers: Record<string, string> = contentType ? { "content-type": contentType } : {};
      expectEnvelope(await raw(fake.url, "POST", "/reset", "a=1", headers), 415);
      expectEnvelope(await raw(fake.url, "POST", "/cases", "a=1", headers), 415);
    }
    expect((await admin(fake.url, "GET", "/cases/c-carla-1")).body.status).toBe("ASSIGNED");
  });

  it.each([
    ["GET", "/db"],
    ["GET", "/apiKeys"],
    ["POST", "/reset"],
    ["PATCH", "/cases/c-carla-1"],
    ["DELETE", "/cases/c-carla-1"],
  ])("refuses %s %s from another site's page with 403, and changes nothing", async (method, path) => {
    const fake = await start();
    const before = await dump(fake.url);
    for (const origin of ["https://evil.example", "null", "http://127.0.0.1.evil.example:4010"]) {
      const headers = { origin, "content-type": "application/json" };
      const reply = await raw(
        fake.url,
        method,
        path,
        method === "GET" || method === "DELETE" ? undefined : JSON.stringify({ status: "ASSIGNED" }),
        headers,
      );
      expectEnvelope(reply, 403);
      expect(reply.text).not.toContain("cvk_test_");
    }
    expect(await dump(fake.url)).toEqual(before);
  });

  it("refuses a DNS-rebinding page (Host not a loopback name) while it listens on 127.0.0.1", async () => {
    const fake = await start();
    const { port } = new URL(fake.url);
    const reply = await new Promise<Reply>((resolve, reject) => {
      httpRequest({ host: "127.0.0.1", port, path: "/__admin/db", headers: { host: `evil.example:${port}` } }, (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () =>
          resolve({ status: res.statusCode!, headers: new Headers(res.headers as Record<string, string>), body: JSON.parse(text), text }),
        );
      })
        .on("error", reject)
        .end();
    });
    expectEnvelope(reply, 403);
    expect(reply.text).not.toContain("cvk_test_");
  });

  it("serves local pages and tools: Origin localhost or 127.0.0.1, or none", async () => {
    const fake = await start();
    for (const headers of [{}, { origin: "http://localhost:3000" }, { origin: fake.url }, { origin: "http://[::1]:5173" }] as Record<
      string,
      string
    >[]) {
      expect((await raw(fake.url, "GET", "/db", undefined, headers)).status).toBe(200);
    }
  });
});

describe("finding 8: admin records follow the API's field rules", () => {
  it.each([
    ["a phone number that is not E.164", { phoneNumber: "+1 555 000 0006" }, "phoneNumber must match the pattern"],
    ["a state in lower case", { state: "new york" }, "state must match the pattern ^[A-Z]{2}$"],
    ["a country of three letters", { country: "USA" }, "country must match the pattern ^[A-Z]{2}$"],
    ["a postal code with letters", { postalCode: "0101A" }, "postalCode must match the pattern"],
    ["an impossible date of birth", { dob: "1990-02-30" }, "dob must be a real calendar date"],
    ["an address over 255 characters", { address: "x".repeat(256) }, "address must NOT have more than 255 characters"],
    ["an unknown field", { favourite: "x" }, 'must not have the property "favourite"'],
  ])("refuses %s, by PATCH and by POST", async (_, fields, detail) => {
    const fake = await start();
    const patched = await admin(fake.url, "PATCH", "/users/u-ana", fields);
    expectEnvelope(patched, 400);
    expect(patched.body.message).toContain(detail);
    const created = await admin(fake.url, "POST", "/users", {
      id: "u-new",
      email: "new@clinic-a.test",
      role: "USER",
      organizationIds: ["org-clinic-a"],
      ...fields,
    });
    expectEnvelope(created, 400);
    const state = await dump(fake.url);
    expect(state.users.find((u) => u.id === "u-new")).toBeUndefined();
    expect(await readUser(fake.url, "ana.free@clinic-a.test")).toMatchObject({ phoneNumber: "+15550000001", state: "IL" });
  });
});

describe("finding 9: id is required on create", () => {
  it.each([
    ["an organization with id null", "/organizations", { id: null, name: "X" }, "id must be string"],
    ["an organization without id", "/organizations", { name: "X" }, "id is required"],
    ["a case without id", "/cases", { userId: "u-ana", organizationId: "org-clinic-a", status: "ASSIGNED" }, "id is required"],
  ])("refuses %s, and stores nothing", async (_, path, body, detail) => {
    const fake = await start();
    const before = await dump(fake.url);
    const reply = await admin(fake.url, "POST", path, body);
    expectEnvelope(reply, 400);
    expect(reply.body.message).toBe(`Invalid record: ${detail}`);
    expect(await dump(fake.url)).toEqual(before);
    expect((await update(fake.url, { email: "ana.free@clinic-a.test", firstName: "Anna" })).status).toBe(200); // no case locks Ana
  });
});

describe("finding 10: Location of a created record", () => {
  it("includes /__admin, and GET on it answers the record", async () => {
    const fake = await start();
    const record = { id: "c/odd id", userId: "u-ana", organizationId: "org-clinic-a", status: "OPEN" };
    const created = await admin(fake.url, "POST", "/cases", record);
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe("/__admin/cases/c%2Fodd%20id");
    const read = await fetch(new URL(created.headers.get("location")!, fake.url));
    expect(await read.json()).toEqual(record);
  });
});
