// Journal entries may carry the proxy's verdict (issue 23), in a backward-compatible way: the fake's entries have
// none, a verdict stays with its own entry as the ring turns over, and every entry still matches JournalEntry.
import { describe, expect, it } from "vitest";
import { loadContract } from "../../src/contract/contract.js";
import { RequestJournal } from "../../src/fake/core/request-journal.js";
import { createFake } from "../../src/index.js";

const contract = loadContract();
const validEntry = contract.schemaValidator("/components/schemas/JournalEntry");
const request = (path: string) => ({ method: "POST", path, query: "", headers: { "cv-api-key": "secret-key-123456" } });
const answer = { status: 200, headers: {}, outcome: "success" };

describe("the journal's verdicts", () => {
  it("the fake's entries have no verdict, and still match JournalEntry", async () => {
    const fake = createFake();
    await fake.fetch("http://fake/api/v1/users", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    const [entry] = fake.requests();
    expect(entry).not.toHaveProperty("verdict");
    expect(validEntry(entry)).toEqual([]);
    await fake.close();
  });

  it("a verdict stays with its entry when older entries are dropped, and is gone once the slot is reused without one", () => {
    const journal = new RequestJournal(2);
    journal.record(request("/a"), undefined, answer, Date.now(), undefined, { result: "break", problems: ["answer: x"] });
    journal.record(request("/b"), undefined, answer, Date.now(), undefined, { result: "pass", problems: [] });
    journal.record(request("/c"), undefined, answer, Date.now()); // takes /a's slot
    const entries = journal.read().requests;
    expect(entries.map((e) => [e.path, e.verdict?.result])).toEqual([
      ["/b", "pass"],
      ["/c", undefined],
    ]);
    for (const entry of entries) expect(validEntry(entry)).toEqual([]);
    expect(JSON.stringify(entries)).not.toContain("secret-key-123456");
  });
});
