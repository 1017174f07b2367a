// Property-based tests (fast-check): random bodies never get a 5xx or an answer outside openapi.yaml, and random
// sequences of updates, admin case changes and resets agree with a small model of the vendor page's rules.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeServer, type FakeServer, type FixtureSet } from "../../src/index.js";
import { admin, KEY_A, KEY_B, send, update } from "../support/http.js";
import { LOCKED_FIELDS, PAGE_MESSAGES } from "../support/vendor-page.js";

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeServer();
});
afterAll(() => fake.close());

const EMAILS = [
  "ana.free@clinic-a.test",
  "ben.locked@clinic-a.test",
  "carla.open@clinic-a.test",
  "dan.staff@clinic-a.test",
  "eve.other@clinic-b.test",
  "gus.both@clinic-a.test",
  "nobody@x.test",
];
const figures = { sent: 0, serverErrors: 0 };
afterAll(() => console.log(`[properties] requests sent: ${figures.sent}, 5xx seen: ${figures.serverErrors}`));

describe("random request bodies", () => {
  const fieldValue = fc.oneof(
    fc.string(),
    fc.constantFrom("1995-10-01", "1995-02-30", "MALE", "male", "NY", "USA", "01010", "0101A", "+15550000006", "+15557771234", ""),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.anything(),
  );
  const data = fc.dictionary(
    fc.constantFrom(
      "email",
      "firstName",
      "lastName",
      "dob",
      "gender",
      "phoneNumber",
      "address",
      "address2",
      "city",
      "state",
      "country",
      "postalCode",
      "role",
      "__proto__",
      "id",
    ),
    fieldValue,
  );
  const body = fc.oneof(
    fc.record({
      action: fc.constantFrom("UPDATE_PROFILE", "UPDATE", ""),
      data: fc.tuple(fc.constantFrom(...EMAILS), data).map(([email, d]) => ({ ...d, email })),
    }),
    fc.record({ action: fc.constant("UPDATE_PROFILE"), data }),
    fc.anything(),
  );

  it("never answer a 5xx, and every answer matches openapi.yaml", async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom(KEY_A, KEY_B), async (b, key) => {
        const reply = await send(fake.url, JSON.stringify(b) ?? "null", { key }); // send() checks the contract
        figures.sent++;
        if (reply.status >= 500) figures.serverErrors++;
        expect(reply.status).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
    fake.reset();
  });

  it("never answer a 5xx to random bytes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        const reply = await send(fake.url, bytes);
        figures.sent++;
        expect(reply.status).toBe(400);
      }),
      { numRuns: 150 },
    );
  });
});

// ---- a small model of the rules, written from the vendor page (independent of src/fake/rules) ----

type ModelUser = { email: string; role: string; orgs: string[]; fields: Record<string, unknown> };
type Model = { users: Map<string, ModelUser>; cases: Map<string, { user: string; status: string }> };
const LOCKING = new Set(["ASSIGNED", "IN_PROGRESS", "APPROVED", "REJECTED", "NO_DECISION"]);
const ORG_OF_KEY: Record<string, string> = { [KEY_A]: "org-clinic-a", [KEY_B]: "org-clinic-b" };

function modelFrom(state: FixtureSet): Model {
  const byId = new Map(state.users.map((u) => [u.id, u.email]));
  return {
    users: new Map(
      state.users.map((u) => {
        const { id: _id, email, role, organizationIds, note: _note, ...fields } = u;
        return [email, { email, role, orgs: organizationIds, fields }];
      }),
    ),
    cases: new Map(state.cases.map((c) => [c.id, { user: byId.get(c.userId)!, status: c.status }])),
  };
}

/** What the page says the answer is; applies a success to the model. */
function expected(model: Model, key: string, data: Record<string, unknown>): { status: number; message: string } {
  const email = data.email as string;
  const user = model.users.get(email);
  if (!user) return { status: 400, message: PAGE_MESSAGES.userDoesNotExist(email) };
  if (!user.orgs.includes(ORG_OF_KEY[key]!)) return { status: 400, message: PAGE_MESSAGES.userNotInOrganization(email) };
  if (user.role !== "USER") return { status: 400, message: PAGE_MESSAGES.notAllowed };
  const sendsLocked = Object.keys(LOCKED_FIELDS).some((f) => f in data);
  const locked = [...model.cases.values()].some((c) => c.user === email && LOCKING.has(c.status));
  if (sendsLocked && locked) return { status: 400, message: PAGE_MESSAGES.locked };
  if ("phoneNumber" in data && [...model.users.values()].some((u) => u.email !== email && u.fields.phoneNumber === data.phoneNumber)) {
    return { status: 400, message: PAGE_MESSAGES.phoneInUse };
  }
  const { email: _e, ...fields } = data;
  Object.assign(user.fields, fields);
  return { status: 200, message: PAGE_MESSAGES.success };
}

const op = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("update" as const),
      key: fc.constantFrom(KEY_A, KEY_B),
      email: fc.constantFrom(...EMAILS, "fay.phone@clinic-a.test", "max.free@clinic-b.test"),
      fields: fc.record(
        {
          firstName: fc.constantFrom("Zed", "Yan"),
          dob: fc.constantFrom("2001-01-01", "1999-12-31"),
          gender: fc.constantFrom("MALE", "OTHER"),
          city: fc.constantFrom("Oslo", "Lima"),
          address2: fc.constantFrom("Apt 1", null),
          phoneNumber: fc.constantFrom("+15550000001", "+15550000006", "+15557770001", "+15557770002"),
        },
        { requiredKeys: [] },
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("case" as const),
      id: fc.constantFrom("c-ben-1", "c-carla-1", "c-carla-2", "c-gus-1", "c-eve-1"),
      status: fc.constantFrom("OPEN", "ASSIGNED", "IN_PROGRESS", "APPROVED", "REJECTED", "NO_DECISION", "ABANDONED"),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "reset" as const }) },
);

describe("random sequences of operations", () => {
  it("agree with the model of the rules, answer by answer and in the final state", async () => {
    fake.reset();
    const initial = (await admin(fake.url, "GET", "/db")).body as FixtureSet;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        fake.reset();
        let model = modelFrom(initial);
        for (const o of ops) {
          if (o.kind === "reset") {
            expect((await admin(fake.url, "POST", "/reset")).status).toBe(200);
            model = modelFrom(initial);
          } else if (o.kind === "case") {
            expect((await admin(fake.url, "PATCH", `/cases/${o.id}`, { status: o.status })).status).toBe(200);
            model.cases.get(o.id)!.status = o.status;
          } else {
            const data = { email: o.email, ...o.fields };
            const want = expected(model, o.key, data);
            const reply = await update(fake.url, data, { key: o.key });
            figures.sent++;
            expect({ status: reply.status, message: reply.body.message }).toEqual(want);
          }
        }
        const final = modelFrom((await admin(fake.url, "GET", "/db")).body as FixtureSet);
        expect([...final.users.values()]).toEqual([...model.users.values()]);
      }),
      { numRuns: 40 },
    );
    fake.reset();
  });
});
