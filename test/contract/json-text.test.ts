// The fake writes its success and error answers as JSON text directly (src/fake/core/json-text.ts), not through
// JSON.stringify: the text must be exactly what JSON.stringify gives, for any value, escapes and odd values included.
import { describe, expect, it } from "vitest";
import { loadContract } from "../../src/contract/contract.js";
import { createAnswerBook } from "../../src/fake/core/answer-book.js";
import { jsonString, jsonValue } from "../../src/fake/core/json-text.js";
import { defaultFixtures } from "../../src/fake/state/default-fixtures.js";
import { compilePublicUserJson, publicUserFields } from "../../src/fake/state/public-user.js";
import type { StoredUser } from "../../src/fake/state/types.js";

const contract = loadContract();

const STRINGS = [
  "",
  "plain ascii",
  'a "quoted" word',
  "back\\slash",
  "new\nline, tab\t, carriage\r",
  "\u0000 and \u001f and \u007f",
  "é, ü, 東京, emoji 😀",
  "lone high \ud800 surrogate",
  "lone low \udfff surrogate",
  "line separators \u2028\u2029",
  "</script><!--",
  "x".repeat(20_000),
];

describe("jsonString and jsonValue", () => {
  it.each(STRINGS.map((s) => [JSON.stringify(s).slice(0, 40), s]))("write %s as JSON.stringify does", (_, text) => {
    expect(jsonString(text)).toBe(JSON.stringify(text));
    expect(jsonValue(text)).toBe(JSON.stringify(text));
  });

  it("writes null, numbers, booleans, arrays and objects as JSON.stringify does", () => {
    for (const value of [null, 0, -1.5, 1e21, Number.NaN, Number.POSITIVE_INFINITY, true, false, ["a", 1, null], { a: { b: 'c"d' } }]) {
      expect(jsonValue(value)).toBe(JSON.stringify(value));
    }
  });
});

describe("compilePublicUserJson", () => {
  const fields = publicUserFields(contract);
  const write = compilePublicUserJson(fields);
  // The success response's user, built as an object: the contract's fields in order, null where missing, dob as a
  // date-time (the page's success example).
  const expected = (user: StoredUser) =>
    Object.fromEntries(
      fields.map((f) => [
        f,
        f === "dob" && typeof user.dob === "string" ? `${user.dob}T00:00:00.000Z` : ((user as unknown as Record<string, unknown>)[f] ?? null),
      ]),
    );

  it("writes every default user as JSON.stringify writes the success response's user", () => {
    const users = defaultFixtures().users;
    expect(users.length).toBeGreaterThan(5);
    for (const user of users) {
      const text = write(user);
      expect(text).toBe(JSON.stringify(expected(user)));
      expect(Object.keys(JSON.parse(text) as object)).toEqual(fields); // only the contract's fields, in its order
    }
  });

  it("writes missing fields as null and odd values (escapes, numbers, a null dob) exactly", () => {
    const base = defaultFixtures().users[0]!;
    const odd = [
      { ...base, firstName: 'Jo "JJ" \\ O\u0000', lastName: "Ünal 😀 \ud800", dob: null },
      { id: "u-min", email: "min@x.test", role: "USER", organizationIds: [] },
      { ...base, phoneNumber: 15550000001, address2: undefined, dob: undefined },
    ] as unknown as StoredUser[];
    for (const user of odd) expect(write(user)).toBe(JSON.stringify(expected(user)));
  });

  it("writes {} when the contract's User has no fields", () => {
    expect(compilePublicUserJson([])(defaultFixtures().users[0]!)).toBe("{}");
  });
});

describe("the answer book's error envelope", () => {
  it("is JSON.stringify's text of {status, success: false, message}, with a message that needs escapes", () => {
    // An inferred message, aligned by a team with a quote and a new line in it, filled with a backslash.
    const answers = createAnswerBook(contract, { malformedJson: { status: 422, message: 'Not "JSON":\n{detail}' } });
    const answer = answers.error("malformedJson", { detail: "a\\b \u0001" });
    expect(answer.status).toBe(422);
    expect(answer.json).toBe(JSON.stringify({ status: 422, success: false, message: 'Not "JSON":\na\\b \u0001' }));
    const documented = answers.error("phoneNumberInUse");
    expect(JSON.parse(documented.json!)).toEqual({ status: 400, success: false, message: contract.message("phoneNumberInUse").template });
  });
});
