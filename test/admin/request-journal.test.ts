// The journal's ring on its own: what it gives back is what was sent, whatever the size of the body and however
// often the ring has wrapped; secrets are never kept; its size is bounded.
import { describe, expect, it } from "vitest";
import { JOURNAL_BODY_LIMIT, MAX_JOURNAL_SIZE, RequestJournal } from "../../src/fake/core/request-journal.js";
import type { FakeAnswer, FakeRequest } from "../../src/fake/core/fake-request.js";

const encode = (text: string) => new TextEncoder().encode(text);
const request = (path: string, headers: Record<string, string> = {}): FakeRequest => ({
  method: "POST",
  path,
  query: "",
  headers: { "content-type": "application/json", ...headers },
});
const answer = (status: number, outcome = "success"): FakeAnswer => ({ status, headers: {}, body: {}, outcome });

describe("RequestJournal", () => {
  it("gives back small, large and cut bodies as sent, oldest first, after the ring has wrapped", () => {
    const journal = new RequestJournal(3);
    const small = { action: "UPDATE_PROFILE", data: { email: "a@x.test", city: "Boston" } };
    const large = { action: "UPDATE_PROFILE", data: { email: "b@x.test", address: "é".repeat(1500) } }; // 3 KB: more than a slot holds
    const cut = "x".repeat(JOURNAL_BODY_LIMIT + 100);
    journal.record(request("/first"), encode("{}"), answer(400, "invalidRequestBody"), 1_000);
    journal.record(request("/api/v1/users"), encode(JSON.stringify(small)), answer(200), 2_000, "org-a");
    journal.record(request("/api/v1/users"), encode(JSON.stringify(large)), answer(200), 3_000, "org-a");
    journal.record(request("/api/v1/users"), encode(cut), answer(400, "malformedJson"), 4_000);
    const page = journal.read();
    expect([page.held, page.capacity, page.dropped]).toEqual([3, 3, 1]);
    expect(page.requests.map((r) => r.id)).toEqual([2, 3, 4]);
    expect(page.requests[0]).toMatchObject({
      body: small,
      status: 200,
      outcome: "success",
      organizationId: "org-a",
      time: new Date(2_000).toISOString(),
    });
    expect(page.requests[1]!.body).toEqual(large);
    expect(page.requests[2]).toMatchObject({ bodyText: "x".repeat(JOURNAL_BODY_LIMIT), bodyTruncated: true, status: 400 });
    // Wrap once more over the large one's slot: the new entry is read, not the old overflow.
    journal.record(request("/api/v1/users"), encode('{"n":5}'), answer(200), 5_000);
    journal.record(request("/api/v1/users"), encode('{"n":6}'), answer(200), 6_000);
    const wrapped = journal.read().requests;
    expect(wrapped.map((r) => r.id)).toEqual([4, 5, 6]);
    expect(wrapped.slice(1).map((r) => r.body)).toEqual([{ n: 5 }, { n: 6 }]);
  });

  it("cuts a long body between characters, never inside one; holds one request at capacity 1; starts again after clear()", () => {
    const journal = new RequestJournal(1);
    const body = "a".repeat(JOURNAL_BODY_LIMIT - 1) + "é".repeat(10); // the limit falls inside the first "é"
    journal.record(request("/api/v1/users"), encode(body), answer(400, "malformedJson"), 0);
    const [cut] = journal.read().requests;
    expect(cut).toMatchObject({ bodyText: "a".repeat(JOURNAL_BODY_LIMIT - 1), bodyTruncated: true });
    journal.record(request("/second"), encode("{}"), answer(400), 1);
    expect(journal.read()).toMatchObject({ held: 1, dropped: 1, requests: [{ path: "/second", id: 2 }] });
    journal.clear();
    expect(journal.read()).toEqual({ requests: [], held: 0, capacity: 1, dropped: 0 });
    journal.record(request("/third"), encode('{"n":3}'), answer(200), 2);
    expect(journal.read().requests).toMatchObject([{ id: 1, path: "/third", body: { n: 3 } }]);
  });

  it("never keeps a secret header, and keeps the others as received", () => {
    const journal = new RequestJournal(2);
    journal.record(
      request("/api/v1/users", { "cv-api-key": "cvk_secret_123456", authorization: "Bearer t", cookie: "s=1", "x-trace": "abc" }),
      undefined,
      answer(400, "unknownApiKey"),
      0,
    );
    const [entry] = journal.read().requests;
    expect(entry!.headers).toEqual({
      "content-type": "application/json",
      "cv-api-key": "[redacted]",
      authorization: "[redacted]",
      cookie: "[redacted]",
      "x-trace": "abc",
    });
    expect(JSON.stringify(entry)).not.toContain("cvk_secret");
  });

  it("gives back paths, queries and headers exactly, even with characters its own format separates on", () => {
    const journal = new RequestJournal(4);
    const odd = { "x-quote": 'say "hi", \\ bye', "x-latin": "café ±", ["__proto__"]: "a header, not a prototype" };
    journal.record({ method: "POST", path: "/api/v1/users", query: "a=1&b=%00", headers: odd }, undefined, answer(404), 0);
    // A NUL cannot come through node:http or WHATWG Headers; if one comes anyway, it is kept as it was.
    journal.record(
      { method: "POST", path: "/a\u0000b", query: "", headers: { "x-nul": "1\u00002", "x-newline": "a\nb" } },
      undefined,
      answer(404),
      1,
    );
    journal.record({ method: "GET", path: "/", query: "", headers: {} }, undefined, answer(404), 2);
    // node:http gives set-cookie as a list (a secret-looking name, so redacted; a list under another name is joined); a caller of the core might give something that is not a string at all.
    const unusual = { "x-n\u0000ame": "v", "x-list": ["a=1", "b=2"], "set-cookie": ["a=1"], "x-number": 7 } as unknown as Record<string, string>;
    journal.record({ method: "POST", path: "/", query: "", headers: unusual }, undefined, answer(404), 3);
    const [first, second, third, fourth] = journal.read().requests;
    expect(fourth!.headers).toEqual({ "x-n\u0000ame": "v", "x-list": "a=1, b=2", "set-cookie": "[redacted]", "x-number": "7" });
    expect(first).toMatchObject({ path: "/api/v1/users", query: "a=1&b=%00" });
    expect(Object.entries(first!.headers)).toEqual(Object.entries(odd));
    expect(Object.getPrototypeOf(first!.headers)).toBe(Object.prototype);
    expect(second).toMatchObject({ path: "/a\u0000b", headers: { "x-nul": "1\u00002", "x-newline": "a\nb" } });
    expect(second!.query).toBeUndefined();
    expect(third).toMatchObject({ method: "GET", path: "/", headers: {} });
  });

  it("writes requests in batches yet loses, repeats or reorders none, whenever it is read or cleared", async () => {
    const journal = new RequestJournal(1000);
    for (let n = 1; n <= 600; n++) journal.record(request(`/n/${n}`), encode(`{"n":${n}}`), answer(200), n); // past a batch's limit
    const first = journal.read();
    expect(first.held).toBe(600);
    expect(first.requests.map((r) => [r.id, r.path, (r.body as { n: number }).n])).toEqual(
      Array.from({ length: 600 }, (_, i) => [i + 1, `/n/${i + 1}`, i + 1]),
    );
    await new Promise((resolve) => setImmediate(resolve)); // the batch written later writes nothing twice
    expect(journal.read()).toEqual(first);

    journal.record(request("/dropped"), undefined, answer(400), 700);
    journal.clear(); // also what was recorded and not yet written
    await new Promise((resolve) => setImmediate(resolve));
    expect(journal.read()).toEqual({ requests: [], held: 0, capacity: 1000, dropped: 0 });
    journal.record(request("/after"), undefined, answer(200), 800);
    await new Promise((resolve) => setImmediate(resolve));
    expect(journal.read().requests).toMatchObject([{ id: 1, path: "/after" }]);
  });

  it("is off at 0, and refuses a size it cannot hold", () => {
    const off = new RequestJournal(0);
    off.record(request("/x"), undefined, answer(200), 0);
    expect(off.read()).toEqual({ requests: [], held: 0, capacity: 0, dropped: 0 });
    expect(() => new RequestJournal(MAX_JOURNAL_SIZE + 1)).toThrow(`from 0 to ${MAX_JOURNAL_SIZE}`);
    expect(new RequestJournal(MAX_JOURNAL_SIZE).capacity).toBe(MAX_JOURNAL_SIZE);
  });
});
