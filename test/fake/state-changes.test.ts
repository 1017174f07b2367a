// The change log's lines as plain functions: what an admin write changed (by identity), and a replay of each kind of
// change, including the lines a replay must refuse.
import { describe, expect, it } from "vitest";
import { changesBetween, ReplayIndex } from "../../src/fake/state/state-changes.js";
import type { FixtureSet } from "../../src/index.js";

const state = (): FixtureSet =>
  ({
    organizations: [{ id: "org-a", name: "A" }],
    apiKeys: [],
    users: [
      { id: "u1", email: "one@a.test", role: "USER", organizationIds: ["org-a"], city: "Old" },
      { id: "u2", email: "two@a.test", role: "USER", organizationIds: ["org-a"] },
    ],
    cases: [{ id: "c1", userId: "u1", organizationId: "org-a", status: "OPEN" }],
  }) as unknown as FixtureSet;

describe("changesBetween (an admin write, as log lines)", () => {
  it.each([
    ["nothing changed", (s: FixtureSet) => ({ users: [...s.users] }), []],
    [
      "a record added",
      (s: FixtureSet) => ({ users: [...s.users, { id: "u3", email: "three@a.test" }] }),
      [{ op: "put", collection: "users", records: [{ id: "u3", email: "three@a.test" }] }],
    ],
    [
      "a record replaced in place",
      (s: FixtureSet) => ({ cases: s.cases.map((c) => ({ ...c, status: "ASSIGNED" })) }),
      [{ op: "put", collection: "cases", records: [{ id: "c1", userId: "u1", organizationId: "org-a", status: "ASSIGNED" }] }],
    ],
    [
      "a record deleted with its cascade",
      (s: FixtureSet) => ({ users: s.users.filter((u) => u.id !== "u1"), cases: [] }),
      [
        { op: "delete", collection: "users", ids: ["u1"] },
        { op: "delete", collection: "cases", ids: ["c1"] },
      ],
    ],
  ] as const)("%s", (_name, write, expected) => {
    const before = state();
    expect(changesBetween(before, write(before) as Partial<FixtureSet>)).toEqual(expected);
  });

  it("replays to the same state as the write itself", () => {
    const before = state();
    const next = {
      users: [...before.users.filter((u) => u.id !== "u2"), { id: "u3", email: "three@a.test" }],
      cases: before.cases.map((c) => ({ ...c, status: "ASSIGNED" })),
    } as unknown as Partial<FixtureSet>;
    const replayed = state();
    new ReplayIndex(replayed).apply(changesBetween(before, next));
    expect(replayed).toEqual({ ...before, ...next });
  });
});

describe("ReplayIndex.apply (one line of the log)", () => {
  it.each([
    [
      "set: the fields on one record",
      { op: "set", collection: "users", id: "u2", fields: { city: "New", address2: null } },
      (s: FixtureSet) => s.users[1],
      { city: "New", address2: null },
    ],
    [
      "put: a new record at the end",
      { op: "put", collection: "users", records: [{ id: "u9", email: "nine@a.test" }] },
      (s: FixtureSet) => s.users[2],
      { id: "u9" },
    ],
    [
      "put: an existing record where it is",
      { op: "put", collection: "users", records: [{ id: "u1", email: "one@a.test" }] },
      (s: FixtureSet) => s.users[0],
      { id: "u1", email: "one@a.test" },
    ],
  ] as const)("%s", (_name, line, pick, expected) => {
    const s = state();
    new ReplayIndex(s).apply(line);
    expect(pick(s)).toMatchObject(expected);
  });

  it("delete, then a set on what remains (positions rebuilt)", () => {
    const s = state();
    const index = new ReplayIndex(s);
    index.apply({ op: "delete", collection: "users", ids: ["u1"] });
    index.apply({ op: "set", collection: "users", id: "u2", fields: { city: "After" } });
    expect(s.users).toEqual([{ id: "u2", email: "two@a.test", role: "USER", organizationIds: ["org-a"], city: "After" }]);
  });

  it.each([
    ["an unknown record", { op: "set", collection: "users", id: "nobody", fields: {} }, /users\/nobody is not in the state/],
    ["an unknown collection", { op: "set", collection: "secrets", id: "u1", fields: {} }, /not a change the fake writes/],
    ["an unknown op", { op: "drop", collection: "users" }, /not a change the fake writes/],
    ["fields that are not an object", { op: "set", collection: "users", id: "u1", fields: [1] }, /not a change the fake writes/],
    ["a record without an id", { op: "put", collection: "users", records: [{ email: "x" }] }, /not a change the fake writes/],
  ])("refuses %s", (_name, line, message) => {
    expect(() => new ReplayIndex(state()).apply(line)).toThrow(message);
  });

  it("applies nothing of a line one of whose changes is refused (all or nothing)", () => {
    const s = state();
    expect(() => new ReplayIndex(s).apply([{ op: "delete", collection: "users", ids: ["u2"] }, { op: "nope" }])).toThrow();
    expect(s).toEqual(state());
  });
});
