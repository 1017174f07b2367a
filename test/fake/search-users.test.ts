// GET /api/v1/users, the vendor's "Search users" page (not the seed): the key's organization only, email a prefix in
// any letter case, pages through meta.cursor; refusals in the update's envelope. Every answer is held against
// openapi.yaml's searchUsers operation (expectConforms), over HTTP and in-process.
import { describe, expect, it } from "vitest";
import { loadTarget } from "../../src/conformance/target.js";
import { createFake, DEFAULT_SCENARIOS_DIR, defaultFixtures, loadContract, loadScenarios, runConformance } from "../../src/index.js";
import { admin, expectConforms, KEY_A, KEY_B, readUser, toReply, update, type Reply } from "../support/http.js";
import { useFakeServer, useFakeServers } from "../support/use-fake.js";

const contract = loadContract();
const PATH = "/api/v1/users";
const fixtures = defaultFixtures();
const emailsOf = (organizationId: string) => fixtures.users.filter((u) => u.organizationIds.includes(organizationId)).map((u) => u.email);
const message = (name: Parameters<typeof contract.message>[0]) => contract.message(name).template;

/** One search, checked against openapi.yaml's GET /api/v1/users. `key: null` sends none. */
async function search(
  baseUrl: string,
  query: Record<string, string> | string,
  key: string | null = KEY_A,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const qs = typeof query === "string" ? query : new URLSearchParams(query).toString();
  const response = await fetch(`${baseUrl}${PATH}${qs ? `?${qs}` : ""}`, { headers: { ...(key === null ? {} : { "cv-api-key": key }), ...headers } });
  const reply = await toReply(response);
  expectConforms(PATH, "get", reply);
  return reply;
}
const emails = (reply: Reply) => (reply.body.data as { email: string }[]).map((u) => u.email);

/** Every page of a search, following meta.cursor while meta.hasMore. */
async function allPages(baseUrl: string, query: Record<string, string>, key = KEY_A): Promise<Reply[]> {
  const pages: Reply[] = [];
  let after: string | undefined;
  do {
    const page = await search(baseUrl, { ...query, ...(after ? { after } : {}) }, key);
    expect(page.status).toBe(200);
    pages.push(page);
    after = page.body.meta.hasMore ? page.body.meta.cursor : undefined;
  } while (after && pages.length < 20);
  return pages;
}

describe("GET /api/v1/users (search users)", () => {
  const fake = useFakeServer();
  const url = () => fake().url;

  it("lists only the key's organization: a user of another organization is never found", async () => {
    const a = await search(url(), { limit: "100" });
    expect([a.status, a.body.meta.hasMore]).toEqual([200, false]);
    expect(emails(a)).toEqual(emailsOf("org-clinic-a"));
    const b = await search(url(), { limit: "100" }, KEY_B);
    expect(emails(b)).toEqual(emailsOf("org-clinic-b"));
    // A user of both organizations is in both lists; one of clinic B alone is not found with key A, by any prefix.
    expect(emails(a)).toContain("gus.both@clinic-a.test");
    expect(emails(b)).toContain("gus.both@clinic-a.test");
    for (const email of ["eve.other@clinic-b.test", "eve", "hal.worker@clinic-b.test", "max"]) {
      const reply = await search(url(), { email });
      expect([reply.status, reply.body.data, reply.body.meta.hasMore], email).toEqual([200, [], false]);
    }
    expect(emails(await search(url(), { email: "eve.other@clinic-b.test" }, KEY_B))).toEqual(["eve.other@clinic-b.test"]);
  });

  it("filters by email prefix, in any letter case, and lists users of every role", async () => {
    expect(emails(await search(url(), { email: "ana" }))).toEqual(["ana.free@clinic-a.test"]);
    expect(emails(await search(url(), { email: "ANA.Free@" }))).toEqual(["ana.free@clinic-a.test"]);
    expect(emails(await search(url(), { email: "jo" }))).toEqual(["john.doe@example.com", "jon.rejected@clinic-a.test"]);
    // A prefix, not a substring: the domain alone finds nobody.
    expect(emails(await search(url(), { email: "clinic-a.test" }))).toEqual([]);
    expect(emails(await search(url(), { email: "dan.staff@clinic-a.test" }))).toEqual(["dan.staff@clinic-a.test"]);
    // Left out or empty: the organization's first page of 10.
    const first = await search(url(), { email: "" });
    expect([emails(first), first.body.meta.hasMore]).toEqual([emailsOf("org-clinic-a").slice(0, 10), true]);
    expect(emails(await search(url(), {}))).toEqual(emails(first));
  });

  it("answers each user with the update's fields, dob as YYYY-MM-DD, and no status/success wrapper", async () => {
    const reply = await search(url(), { email: "john.doe@example.com" });
    expect(Object.keys(reply.body)).toEqual(["meta", "data"]);
    const [user] = reply.body.data;
    const updated = await readUser(url(), "john.doe@example.com");
    expect(Object.keys(user)).toEqual(Object.keys(updated));
    expect({ ...user, dob: undefined }).toEqual({ ...updated, dob: undefined });
    expect([user.dob, updated.dob]).toEqual(["1995-10-01", "1995-10-01T00:00:00.000Z"]);
    expect(user).toMatchObject({ email: "john.doe@example.com", firstName: "John", phoneNumber: "+11111111111", postalCode: "01010" });
  });

  it("shows what an update wrote, and writes nothing itself", async () => {
    expect((await update(url(), { email: "ana.free@clinic-a.test", city: "Boston" })).status).toBe(200);
    expect((await search(url(), { email: "ana.free" })).body.data[0].city).toBe("Boston");
    const before = JSON.stringify((await admin(url(), "GET", "/db")).body);
    await search(url(), { email: "ana" });
    expect(JSON.stringify((await admin(url(), "GET", "/db")).body)).toBe(before);
  });

  it("pages through meta.cursor: every user once, in creation order, hasMore false on the last page", async () => {
    const pages = await allPages(url(), { limit: "3" });
    const all = emailsOf("org-clinic-a");
    expect(pages.length).toBe(Math.ceil(all.length / 3));
    expect(pages.flatMap(emails)).toEqual(all);
    expect(pages.map((p) => p.body.meta.hasMore)).toEqual([...pages.slice(1).map(() => true), false]);
    for (const page of pages) expect(page.body.data.length).toBeLessThanOrEqual(3);
    // With a filter, the pages hold only matches; sorOrder=desc (the page's spelling) and sortOrder read the list backwards.
    expect((await allPages(url(), { email: "j", limit: "1" })).flatMap(emails)).toEqual(["john.doe@example.com", "jon.rejected@clinic-a.test"]);
    expect((await allPages(url(), { limit: "4", sorOrder: "desc" })).flatMap(emails)).toEqual([...all].reverse());
    expect(emails(await search(url(), { limit: "100", sortOrder: "desc", sortBy: "createdAt" }))).toEqual([...all].reverse());
  });

  it("gives a cursor on an empty page as null, and refuses a cursor that names no user of the organization", async () => {
    expect((await search(url(), { email: "nobody" })).body.meta).toEqual({ hasMore: false, cursor: null });
    const cursorB = (await search(url(), { email: "eve", limit: "1" }, KEY_B)).body.meta.cursor as string;
    const cursorA = (await search(url(), { limit: "1" })).body.meta.cursor as string;
    for (const after of ["not-a-cursor", cursorB, `${cursorA}!`]) {
      const reply = await search(url(), { after });
      expect([reply.status, reply.body.message], after).toEqual([
        400,
        expect.stringMatching(/^Invalid search query: after names no user of this organization/),
      ]);
    }
    expect((await search(url(), { after: cursorA })).status).toBe(200);
  });

  it("refuses a missing or unknown key, and a query it cannot use, in the update's envelope", async () => {
    const refusals: [Record<string, string> | string, string | null, RegExp | string][] = [
      [{ email: "ana" }, null, message("missingApiKey")],
      [{ email: "ana" }, "  ", message("missingApiKey")],
      [{ email: "ana" }, "cvk_not_a_key", message("unknownApiKey")],
      [{ limit: "0" }, KEY_A, /^Invalid search query: limit must be >= 1 \(received "0"\)/],
      [{ limit: "101" }, KEY_A, /limit must be <= 100 \(received "101"\)/],
      [{ limit: "2.5" }, KEY_A, /limit must be integer \(received "2.5"\)/],
      [{ sortBy: "email" }, KEY_A, /sortBy must be (one of|equal to one of the allowed values).*createdAt/],
      [{ sorOrder: "up" }, KEY_A, /sorOrder must be (one of|equal to one of the allowed values).*asc.*desc/],
      [{ sorOrder: "asc", sortOrder: "desc" }, KEY_A, /sorOrder and sortOrder disagree/],
      ["email=a&email=b", KEY_A, /email is given 2 times; give it once/],
      [{ after: "" }, KEY_A, /after must NOT have fewer than 1 characters \(received ""\): pass meta.cursor of the previous page/],
      [{ email: "a".repeat(321) }, KEY_A, /email must NOT have more than 320 characters/],
    ];
    for (const [query, key, expected] of refusals) {
      const reply = await search(url(), query, key);
      expect(reply.status, JSON.stringify(query)).toBe(400);
      expect(reply.body.success).toBe(false);
      if (typeof expected === "string") expect(reply.body.message).toBe(expected);
      else expect(reply.body.message).toMatch(expected);
    }
    // A parameter the operation does not declare is ignored.
    expect(emails(await search(url(), { email: "ana", page: "7" }))).toEqual(["ana.free@clinic-a.test"]);
  });

  it("answers other methods 405 with Allow: GET, POST", async () => {
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const reply = await toReply(await fetch(`${url()}${PATH}`, { method, headers: { "cv-api-key": KEY_A } }));
      expectConforms(PATH, "post", reply); // a method the path does not list: its 405 is described on the update
      expect([reply.status, reply.headers.get("allow"), reply.body.message]).toEqual([
        405,
        "GET, POST",
        `Method ${method} is not allowed on ${PATH}. Use GET, POST`,
      ]);
    }
  });

  it("records the search in the journal with its query and the key's organization", async () => {
    await search(url(), { email: "ana", limit: "2" });
    const entries = (await admin(url(), "GET", "/requests")).body.requests as {
      method: string;
      path: string;
      query?: string;
      status: number;
      outcome: string;
      organizationId?: string;
      headers: Record<string, string>;
    }[];
    expect(entries.map((e) => [e.method, e.path, e.query, e.status, e.outcome, e.organizationId, e.headers["cv-api-key"]])).toEqual([
      ["GET", PATH, "email=ana&limit=2", 200, "success", "org-clinic-a", "[redacted]"],
    ]);
  });

  it("takes faults: a Prefer header, and an admin fault whose email matches the email filter", async () => {
    const preferred = await search(url(), { email: "ana" }, KEY_A, { prefer: "code=503" });
    expect([preferred.status, preferred.body.message]).toEqual([503, "Fault injected by the fake server: 503 Service Unavailable"]);
    expect((await search(url(), { email: "ana" }, KEY_A, { prefer: "code=418" })).status).toBe(400);
    expect((await admin(url(), "POST", "/faults", { email: "ANA", status: 502, times: 1 })).status).toBe(201);
    expect((await search(url(), { email: "john" })).status).toBe(200);
    expect((await search(url(), { email: "ana" })).status).toBe(502);
    expect((await search(url(), { email: "ana" })).status).toBe(200);
  });
});

describe("GET /api/v1/users on other fakes", () => {
  const start = useFakeServers();

  it("is served in-process by createFake's fetch, and checked against the contract there too", async () => {
    const fake = createFake();
    const reply = await toReply(await fake.fetch(`http://fake.invalid${PATH}?email=gus`, { headers: { "cv-api-key": KEY_B } }));
    expectConforms(PATH, "get", reply);
    expect([reply.status, emails(reply)]).toEqual([200, ["gus.both@clinic-a.test"]]);
    const refused = await toReply(await fake.fetch(`http://fake.invalid${PATH}?limit=x`, { headers: { "cv-api-key": KEY_B } }));
    expect(refused.status).toBe(400);
    expect(fake.requests().map((e) => [e.method, e.status])).toEqual([
      ["GET", 200],
      ["GET", 400],
    ]);
  });

  it("stays within the key's organization on a fake whose update has its organization scope switched off", async () => {
    const fake = createFake({ disableRules: ["organizationScope"] });
    const reply = await toReply(await fake.fetch(`http://fake.invalid${PATH}?email=eve`, { headers: { "cv-api-key": KEY_A } }));
    expect([reply.status, reply.body.data]).toEqual([200, []]);
    // The switch is the update's: there, the other organization's user is now reachable.
    const updated = await fake.fetch(`http://fake.invalid${PATH}`, {
      method: "POST",
      headers: { "cv-api-key": KEY_A, "content-type": "application/json" },
      body: JSON.stringify({ action: "UPDATE_PROFILE", data: { email: "eve.other@clinic-b.test" } }),
    });
    expect(updated.status).toBe(200);
  });

  it("answers a key refusal with the status a fixtures file's answers section aligned", async () => {
    const fake = await start({ fixtures: { ...defaultFixtures(), answers: { unknownApiKey: { status: 404, message: "Organization not found" } } } });
    const reply = await search(fake.url, { email: "ana" }, "cvk_not_a_key");
    expect([reply.status, reply.body]).toEqual([404, { status: 404, success: false, message: "Organization not found" }]);
  });

  it("sees users an admin adds, after the ones before them, and loses one deleted (its cursor then refused)", async () => {
    const fake = await start();
    const added = { id: "u-zed", email: "zed.new@clinic-a.test", role: "USER", organizationIds: ["org-clinic-a"] };
    expect((await admin(fake.url, "POST", "/users", added)).status).toBe(201);
    const all = await search(fake.url, { limit: "100" });
    expect(emails(all).at(-1)).toBe("zed.new@clinic-a.test");
    const zed = await search(fake.url, { email: "zed" });
    expect(zed.body.data[0]).toMatchObject({ email: "zed.new@clinic-a.test", firstName: null, dob: null });
    const cursor = zed.body.meta.cursor as string;
    expect((await admin(fake.url, "DELETE", "/users/u-zed")).status).toBe(200);
    expect(emails(await search(fake.url, { email: "zed" }))).toEqual([]);
    expect((await search(fake.url, { after: cursor })).status).toBe(400);
  });

  it("is what the conformance suite reads profiles through, and says so; every scenario still passes", async () => {
    const fake = createFake();
    const target = loadTarget("conformance/targets/fake-default.yaml");
    const summary = await runConformance({
      baseUrl: "http://fake.invalid",
      apiKey: KEY_A,
      target,
      scenarios: loadScenarios(DEFAULT_SCENARIOS_DIR, contract),
      fetch: fake.fetch,
    });
    expect(summary.readMethod).toBe("search");
    expect(summary.preflight?.notes).toContain(
      "profiles are read through GET /api/v1/users?email= (the vendor's search users endpoint), which writes nothing",
    );
    expect(summary.results.filter((r) => r.status === "failed" || r.status === "error").map((r) => r.id)).toEqual([]);
    const searches = fake.requests().filter((e) => e.method === "GET");
    expect(searches.length).toBeGreaterThan(30);
    expect(searches.filter((e) => e.status !== 200)).toEqual([]);
  });
});
