// Findings 4, 6, 8 and 11 of issue 24, on the fake: the journal had no byte budget (100,000 entries of 8 KiB
// bodies and 14 KB of headers reached 2.35 GB, and reading it killed the process); it kept keys sent under other
// names (?cv-api-key=, x-api-key, x-auth-token, a key in the body); faults were unbounded (100,000 cost 188 MB and
// slowed every request); organization names had no length limit; the --persist state file (which holds the keys)
// was 0644.
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FaultSet, MAX_FAULTS } from "../../src/fake/core/faults.js";
import { JOURNAL_BYTE_BUDGET, MAX_JOURNAL_PAGE, RequestJournal } from "../../src/fake/core/request-journal.js";
import { createFake, defaultFixtures } from "../../src/index.js";
import { json, KEY_A } from "../support/http.js";
import { useFakeServers } from "../support/use-fake.js";

const answer = { status: 200, headers: {}, body: {}, outcome: "updated" } as const;
const bigHeaders = (n: number) => Object.fromEntries(Array.from({ length: 14 }, (_, i) => [`x-filler-${i}`, `${n}-${"h".repeat(1000)}`]));

describe("the journal's byte budget", () => {
  it("drops the oldest entries to stay within it, however many the journal may hold", () => {
    const budget = 4 * 1024 * 1024;
    const journal = new RequestJournal(100_000, { byteBudget: budget });
    const body = new TextEncoder().encode(`{"pad":"${"b".repeat(8 * 1024)}"}`);
    for (let n = 0; n < 2_000; n++) journal.record({ method: "POST", path: "/api/v1/users", query: "", headers: bigHeaders(n) }, body, answer, n);
    const page = journal.read({ limit: 1 });
    expect(journal.heldBytes).toBeLessThanOrEqual(budget);
    expect(page.held).toBeLessThan(2_000);
    expect(page.held + page.dropped).toBe(2_000);
    expect(journal.read({ limit: 1, page: page.held }).requests[0]!.id).toBe(2_000); // the newest is kept
  });

  it("is 64 MiB by default", () => {
    expect(JOURNAL_BYTE_BUDGET).toBe(64 * 1024 * 1024);
  });

  it("reads a page at a time: at most MAX_JOURNAL_PAGE entries, a larger _limit refused", () => {
    const journal = new RequestJournal(5_000);
    for (let n = 1; n <= 2_500; n++) journal.record({ method: "POST", path: `/n/${n}`, query: "", headers: {} }, undefined, answer, n);
    expect(journal.read().requests).toHaveLength(MAX_JOURNAL_PAGE);
    const third = journal.readPage({ limit: 1000, page: 3 });
    expect(third.page.requests.map((r) => r.path)).toEqual(Array.from({ length: 500 }, (_, i) => `/n/${2001 + i}`));
    expect(third.matched).toBe(2_500);
    expect(() => journal.read({ limit: 1001 })).toThrow(/_limit must be a whole number from 1 to 1000/);
  });
});

describe("over HTTP", () => {
  const start = useFakeServers();

  it("GET /__admin/requests pages, says how many match, and refuses a _limit over 1000 with 400", async () => {
    const fake = await start({ journal: 3000 });
    for (let n = 0; n < 5; n++) await fake.fetch(`http://fake/nowhere/${n}`);
    // In-process requests are journaled by the same core.
    const page = await fetch(`${fake.url}/__admin/requests?_limit=2&_page=2`);
    expect(page.status).toBe(200);
    expect(page.headers.get("x-total-count")).toBe("5");
    expect(((await json(page)) as { requests: { path: string }[] }).requests.map((r) => r.path)).toEqual(["/nowhere/2", "/nowhere/3"]);
    const refused = await fetch(`${fake.url}/__admin/requests?_limit=100000`);
    expect(refused.status).toBe(400);
    expect(((await json(refused)) as { message: string }).message).toMatch(/^Invalid query string: _limit/);
  });

  it("the journal holds no key, under any name, in headers, query or body", async () => {
    const fake = await start();
    const other = "cvk_test_clinic_b_8a7e3b10";
    await fetch(`${fake.url}/api/v1/users?cv-api-key=${KEY_A}&access_token=tok123&plain=${other}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "cv-api-key": KEY_A,
        "x-api-key": "xk-123",
        "x-auth-token": "at-456",
        "x-echo": `Bearer ${other}`,
      },
      body: JSON.stringify({
        key: "k-789",
        "cv-api-key": KEY_A,
        note: `mine is ${other}`,
        action: "UPDATE_PROFILE",
        data: { email: "ana.free@clinic-a.test", apiKey: "ak-000" },
      }),
    });
    await fetch(`${fake.url}/api/v1/users`, {
      method: "POST",
      headers: { "content-type": "text/plain", "x-session-id": "s-1" },
      body: `raw ${KEY_A} "password": "pw-1"`,
    });
    const text = JSON.stringify(await json(fetch(`${fake.url}/__admin/requests`)));
    for (const secret of [KEY_A, other, "tok123", "xk-123", "at-456", "k-789", "ak-000", "s-1", "pw-1"]) expect(text, secret).not.toContain(secret);
    expect(text).toContain("[redacted]");
    expect(text).toContain("ana.free@clinic-a.test"); // the rest is kept
  });

  it("refuses a fault past MAX_FAULTS with 400, and lists at most that many", async () => {
    const fake = await start();
    for (let n = 0; n < MAX_FAULTS; n++) fake.faults.add({ email: `User${n}@Example.com`, status: 503 });
    const refused = await fetch(`${fake.url}/__admin/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: 503 }),
    });
    expect(refused.status).toBe(400);
    expect(((await json(refused)) as { message: string }).message).toMatch(/^Invalid fault: at most 1000 faults are in force/);
    expect(fake.faults.list()).toHaveLength(MAX_FAULTS);
  });
});

describe("faults", () => {
  it("lower-cases a fault's email once, when it is added, not on every request", () => {
    const faults = new FaultSet(() => undefined); // the set alone: its check (check-fault) is not what this counts
    let lowered = 0;
    const email = { toLowerCase: () => (lowered++, "a@example.com") } as unknown as string;
    faults.add({ email, status: 503, times: 1 });
    faults.add({ email: "b@example.com", status: 500 });
    for (let n = 0; n < 10; n++) faults.take("nobody@example.com");
    expect(lowered).toBe(1);
    expect(faults.take("A@Example.com")?.status).toBe(503);
  });
});

describe("organizations and the state file", () => {
  const start = useFakeServers();
  it("refuses an organization name over 200 characters, in fixtures", () => {
    const fixtures = defaultFixtures();
    fixtures.organizations[0]!.name = "N".repeat(99_000);
    expect(() => createFake({ fixtures })).toThrow(/organizations\/0\/name.*200|name.*more than 200/);
  });

  it("refuses one over 200 characters from the admin API", async () => {
    const fake = await start();
    const id = fake.state().organizations[0]!.id;
    const reply = await fetch(`${fake.url}/__admin/organizations/${id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "N".repeat(201) }),
    });
    expect(reply.status).toBe(400);
  });

  it("writes the --persist state file 0600: it holds the keys", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cv-sec-state-"));
    const file = join(dir, "state.json");
    const fake = createFake({ persist: file });
    try {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      fake.reset();
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      await fake.close();
    }
  });
});
