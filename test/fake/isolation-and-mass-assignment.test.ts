// Mass assignment, prototype pollution, isolation between organizations, and how API keys are refused.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ApiKeyTable, keyHash, sameKey } from "../../src/fake/state/api-key-table.js";
import { useFakeServer } from "../support/use-fake.js";
import { admin, KEY_A, KEY_B, send, update } from "../support/http.js";

const fake = useFakeServer();

const ANA = "ana.free@clinic-a.test";
const EVE = "eve.other@clinic-b.test";
const dump = async () => (await admin(fake().url, "GET", "/db")).body as Record<string, unknown[]>;

describe("mass assignment and prototype pollution", () => {
  const hostile = [
    ["role", "ADMIN"],
    ["organizationIds", ["org-clinic-b"]],
    ["organizationId", "org-clinic-b"],
    ["id", "u-eve"],
    ["cases", [{ id: "c-x", status: "ASSIGNED" }]],
    ["email", "eve.other@clinic-b.test"],
  ] as const;

  it.each(hostile)("never stores %s sent at the top level", async (key, value) => {
    const before = await dump();
    const reply = await send(fake().url, { action: "UPDATE_PROFILE", [key]: value, data: { email: ANA } });
    expect(reply.status).toBe(200);
    expect(await dump()).toEqual(before);
  });

  it.each(hostile.filter(([key]) => key !== "email"))("never stores %s sent inside data", async (key, value) => {
    const before = await dump();
    const reply = await update(fake().url, { email: ANA, [key]: value });
    expect(reply.status).toBe(200);
    expect(await dump()).toEqual(before);
    expect(reply.body.data.user).not.toHaveProperty(key);
  });

  it.each([
    ["__proto__ in data", `{"action":"UPDATE_PROFILE","data":{"email":"${ANA}","__proto__":{"role":"ADMIN","polluted":1}}}`],
    ["__proto__ at the top", `{"__proto__":{"polluted":1},"action":"UPDATE_PROFILE","data":{"email":"${ANA}"}}`],
    ["constructor.prototype in data", `{"action":"UPDATE_PROFILE","data":{"email":"${ANA}","constructor":{"prototype":{"polluted":1}}}}`],
  ])("is not polluted by %s, now or in a later request", async (_, body) => {
    const before = await dump();
    expect((await send(fake().url, body)).status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("role");
    expect(await dump()).toEqual(before);
    const later = await update(fake().url, { email: "john.doe@example.com" });
    expect(later.body.data.user).not.toHaveProperty("polluted");
    expect(later.body.data.user).not.toHaveProperty("role");
  });
});

describe("isolation between organizations", () => {
  it("a key of clinic A can neither change nor read a user of clinic B only", async () => {
    const before = await dump();
    const reply = await update(fake().url, { email: EVE, city: "Hacked", phoneNumber: "+15559998888" }, { key: KEY_A });
    expect(reply.body).toEqual({ status: 400, success: false, message: `User ${EVE} does not exist in the organization` });
    expect(reply.text).not.toContain("Portland");
    expect(reply.text).not.toContain("+15550000005");
    expect(await dump()).toEqual(before);
  });

  it("a failure never carries the user's fields, whichever rule answers", async () => {
    for (const [data, key] of [
      [{ email: "ben.locked@clinic-a.test", firstName: "X" }, KEY_A],
      [{ email: "dan.staff@clinic-a.test" }, KEY_A],
      [{ email: ANA, phoneNumber: "+15550000006" }, KEY_A],
      [{ email: ANA }, KEY_B],
    ] as const) {
      const reply = await update(fake().url, data, { key });
      expect(reply.status).toBe(400);
      expect(Object.keys(reply.body).sort()).toEqual(["message", "status", "success"]);
    }
  });
});

describe("API keys", () => {
  const refusedAsUnknown = [
    ["case-changed", KEY_A.toUpperCase()],
    ["padded with other characters", `"${KEY_A}"`],
    ["with a suffix", `${KEY_A}x`],
    ["a prefix of the real key", KEY_A.slice(0, -1)],
    ["two keys in one header", `${KEY_A},${KEY_B}`],
    ["Bearer-prefixed", `Bearer ${KEY_A}`],
  ];

  it.each(refusedAsUnknown)("refuses a key %s with the unknown-key answer", async (_, key) => {
    const reply = await update(fake().url, { email: ANA, city: "X" }, { key });
    expect(reply.body).toEqual({ status: 400, success: false, message: "Organization with provided cv-api-key not found!" });
    expect(reply.text).not.toContain(KEY_A);
  });

  it("refuses two cv-api-key headers (even of the same key) with the unknown-key answer", async () => {
    const response = await fetch(`${fake().url}/api/v1/users`, {
      method: "POST",
      headers: [
        ["content-type", "application/json"],
        ["cv-api-key", KEY_A],
        ["cv-api-key", KEY_A],
      ],
      body: JSON.stringify({ action: "UPDATE_PROFILE", data: { email: ANA, city: "X" } }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toBe("Organization with provided cv-api-key not found!");
  });

  it.each([
    ["missing", null],
    ["empty", ""],
    ["blank", "   "],
  ])("refuses a %s key with the missing-key answer", async (_, key) => {
    expect((await update(fake().url, { email: ANA }, { key })).body.message).toBe("Secret key not provided!");
  });

  it("finds keys with no comparison that stops at the first difference", () => {
    // The rule is structural: on the request path, a presented key meets a stored one only in sameKey, which reads
    // every character whatever differs first.
    const source = readFileSync(new URL("../../src/fake/state/api-key-table.ts", import.meta.url), "utf8");
    expect(source).toMatch(/organizationIdFor\(presented: string\)[^}]*keyHash\(presented\)[^}]*sameKey\(candidate\.id, presented\)/s);
    expect(source).not.toMatch(/\b(?:presented|stored)\s*[!=]==|[!=]==\s*(?:presented|stored)\b(?!\.)/); // lengths may be compared, strings not
    expect(readFileSync(new URL("../../src/fake/state/state-index.ts", import.meta.url), "utf8")).not.toMatch(/apiKey\s*===|===\s*apiKey/);

    const table = new ApiKeyTable([
      { id: "cvk_test_clinic_a_4f1c2d9e", organizationId: "org-a" },
      { id: "cvk_test_clinic_b_7e3a1b5c", organizationId: "org-b" },
    ]);
    expect(table.organizationIdFor("cvk_test_clinic_a_4f1c2d9e")).toBe("org-a");
    expect(table.organizationIdFor("cvk_test_clinic_b_7e3a1b5c")).toBe("org-b");
    for (const guess of [
      "cvk_test_clinic_a_4f1c2d9",
      "cvk_test_clinic_a_4f1c2d9e ",
      "CVK_TEST_CLINIC_A_4F1C2D9E",
      "",
      "cvk_test_clinic_a_4f1c2d9f",
    ]) {
      expect(table.organizationIdFor(guess)).toBeUndefined();
    }
    expect([sameKey("abc", "abc"), sameKey("abc", "abd"), sameKey("abc", "ab"), sameKey("", "")]).toEqual([true, false, false, true]);

    // sameKey reads every character of both, whether the first or the last differs: count the reads.
    const counted = (text: string) => {
      const reads = { count: 0 };
      const spy = { length: text.length, charCodeAt: (i: number) => (reads.count++, text.charCodeAt(i)) } as unknown as string;
      return [spy, reads] as const;
    };
    const stored = "cvk_test_clinic_a_4f1c2d9e";
    for (const guess of ["Xvk_test_clinic_a_4f1c2d9e", "cvk_test_clinic_a_4f1c2d9X", stored]) {
      const [storedSpy, storedReads] = counted(stored);
      const [guessSpy, guessReads] = counted(guess);
      expect(sameKey(storedSpy, guessSpy)).toBe(guess === stored);
      expect([storedReads.count, guessReads.count]).toEqual([stored.length, stored.length]);
    }
  });

  it("tells apart two keys whose hashes are the same", () => {
    // A birthday search finds two strings with the same 32-bit FNV-1a hash in well under a second.
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const key = `cvk_${i.toString(36)}`;
      const other = seen.get(keyHash(key));
      if (other !== undefined) pair = [other, key];
      else seen.set(keyHash(key), key);
    }
    const [first, second] = pair;
    const table = new ApiKeyTable([
      { id: first, organizationId: "org-first" },
      { id: second, organizationId: "org-second" },
    ]);
    expect([table.organizationIdFor(first), table.organizationIdFor(second), table.organizationIdFor(`${first}x`)]).toEqual([
      "org-first",
      "org-second",
      undefined,
    ]);
  });
});
