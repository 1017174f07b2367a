// One rule, in the contract, for what a generator reads and what the fake does: the Prefer header's maxLength is
// the length the fake refuses past, and the email rule the fake applies is the one openapi.yaml spells out (format
// "email" with its pattern), so an address a generator takes as valid from the document is valid to the fake.
import { describe, expect, it } from "vitest";
import { createFake } from "../../src/index.js";
import { loadContract } from "../../src/contract/contract.js";
import { readPointer } from "../../src/contract/pointer.js";
import { json, KEY_A } from "../support/http.js";

const BASE = "http://fake.invalid";
const contract = loadContract();
const post = (fake: { fetch: typeof fetch }, data: Record<string, unknown>, headers: Record<string, string> = {}) =>
  fake.fetch(`${BASE}/api/v1/users`, {
    method: "POST",
    headers: { "content-type": "application/json", "cv-api-key": KEY_A, ...headers },
    body: JSON.stringify({ action: "UPDATE_PROFILE", data }),
  });

describe("the Prefer header's length", () => {
  const maxLength = readPointer(contract.spec, "/components/parameters/Prefer/schema/maxLength") as number;

  it("is what the contract says, and the fake takes a header of that length and refuses one longer", async () => {
    expect(maxLength).toBeGreaterThan(0);
    const fake = createFake();
    // An ignored preference, padded to the limit: the rules answer.
    const atLimit = `x=${"a".repeat(maxLength - 2)}`;
    expect((await post(fake, { email: "ana.free@clinic-a.test", city: "Lima" }, { prefer: atLimit })).status).toBe(200);
    const over = await post(fake, { email: "ana.free@clinic-a.test", city: "Cusco" }, { prefer: `${atLimit}a` });
    expect([over.status, (await json(over)).message]).toEqual([
      400,
      `Invalid fault: Prefer header: at most ${maxLength} characters (this one has ${maxLength + 1})`,
    ]);
    expect(fake.state().users.find((u) => u.email === "ana.free@clinic-a.test")!.city).toBe("Lima");
    const searched = await fake.fetch(`${BASE}/api/v1/users`, { headers: { "cv-api-key": KEY_A, prefer: `${atLimit}a` } });
    expect(searched.status).toBe(400);
  });
});

describe("the email rule", () => {
  const email = readPointer(contract.spec, "/components/schemas/Email") as { format: string; pattern: string };
  const validate = contract.schemaValidator("/components/schemas/Email");
  const samples = [
    "john.doe@example.com",
    "A.B+tag@sub.Example.org",
    "x@net",
    "no-at.example.com",
    "two@@example.com",
    "a b@example.com",
    "a@-example.com",
    "a@example.c0m",
  ];

  it("is spelled out in the contract: the pattern accepts exactly what format email (as the fake checks it) accepts", () => {
    expect(email.format).toBe("email");
    const pattern = new RegExp(email.pattern, "u");
    for (const sample of samples) expect([sample, pattern.test(sample)]).toEqual([sample, validate(sample).length === 0]);
    expect(pattern.test("x@net")).toBe(false);
  });

  it("is the fake's: an address the contract refuses is refused once, in the format's words; one it takes is taken", async () => {
    const fake = createFake();
    const dotless = await post(fake, { email: "x@net" });
    expect([dotless.status, (await json(dotless)).message]).toEqual([
      400,
      expect.stringMatching(/data\.email must be a valid email address \(format "email"\)$/),
    ]);
    expect((await json(await post(fake, { email: "x@net" }))).message).not.toMatch(/pattern/);
    // A valid form the fake has no user for: past the schema, to the business rule.
    const unknownUser = await post(fake, { email: "A.B+tag@sub.Example.org" });
    expect((await json(unknownUser)).message).toBe("User A.B+tag@sub.Example.org does not exist");
  });
});
