// The fake's business rules as plain functions over a small state, one table per rule: each row is a sentence of the
// vendor page (or a choice written down where it is silent) and the decision it obliges. No HTTP, no files.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadContract } from "../../src/index.js";
import { authenticate } from "../../src/fake/rules/authenticate.js";
import { decideProfileUpdate, type ProfileDecision } from "../../src/fake/rules/decide-profile-update.js";
import { lockedFieldsSent } from "../../src/fake/rules/demographic-lock.js";
import { profilePatch } from "../../src/fake/rules/profile-patch.js";
import { PROFILE_RULES, RULE_NAMES } from "../../src/fake/rules/registry.js";
import { ruleConfigFrom, type RuleName } from "../../src/fake/rules/rule-config.js";
import { PAGE_SENTENCES } from "../support/vendor-page.js";
import { StateIndex } from "../../src/fake/state/state-index.js";
import type { FixtureSet, UpdateProfileData } from "../../src/fake/state/types.js";

const contract = loadContract();
const config = (disabled: RuleName[] = []) => ruleConfigFrom(contract, disabled);

function state(cases: { userId: string; status: string }[] = []): StateIndex {
  const fixtures: FixtureSet = {
    organizations: [
      { id: "org-a", name: "A" },
      { id: "org-b", name: "B" },
    ],
    apiKeys: [{ id: "key-a-12345678", organizationId: "org-a" }],
    users: [
      { id: "u-free", email: "free@a.test", role: "USER", organizationIds: ["org-a"], phoneNumber: "+15550000001" },
      { id: "u-other", email: "other@a.test", role: "USER", organizationIds: ["org-a"], phoneNumber: "+15550000002" },
      { id: "u-admin", email: "admin@a.test", role: "ADMIN", organizationIds: ["org-a"] },
      { id: "u-b", email: "b@b.test", role: "USER", organizationIds: ["org-b"] },
    ],
    cases: cases.map((c, i) => ({ id: `c-${i}`, organizationId: "org-a", ...c })),
  } as FixtureSet;
  return new StateIndex(fixtures);
}

const failure = (decision: ProfileDecision) => (decision.ok ? "ok" : decision.failure);

describe("authenticate: the cv-api-key resolves to one organization", () => {
  it.each([
    ["no header", undefined, "missingApiKey"],
    ["an empty key", "", "missingApiKey"],
    ["a blank key", "   ", "missingApiKey"],
    ["a key no organization holds", "key-nobody-123", "unknownApiKey"],
    ["the organization's key", "key-a-12345678", "org-a"],
  ])("%s → %s", (_, key, expected) => {
    const result = authenticate(state(), key);
    expect(result.ok ? result.organizationId : result.failure).toBe(expected);
  });
});

describe("decideProfileUpdate: the page's failures, in its order", () => {
  type Row = [sentence: string, data: UpdateProfileData, cases: { userId: string; status: string }[], disabled: RuleName[], expected: string];
  const rows: Row[] = [
    ['"User {email} does not exist"', { email: "nobody@a.test", city: "Oslo" }, [], [], "userDoesNotExist"],
    ['"User {email} does not exist in the organization"', { email: "b@b.test", city: "Oslo" }, [], [], "userNotInOrganization"],
    ["… unless organization scoping is switched off", { email: "b@b.test", city: "Oslo" }, [], ["organizationScope"], "ok"],
    ['"Not allowed to update the profile" (role is not USER)', { email: "admin@a.test", city: "Oslo" }, [], [], "notAllowedToUpdateProfile"],
    ["… unless the role check is switched off", { email: "admin@a.test", city: "Oslo" }, [], ["roleCheck"], "ok"],
    ["emails match in any letter case (inferred)", { email: "FREE@A.TEST", city: "Oslo" }, [], [], "ok"],
    [
      "a locked field with an ASSIGNED case",
      { email: "free@a.test", firstName: "Ann" },
      [{ userId: "u-free", status: "ASSIGNED" }],
      [],
      "demographicFieldsLocked",
    ],
    [
      "a locked field with an IN_PROGRESS case",
      { email: "free@a.test", lastName: "Lee" },
      [{ userId: "u-free", status: "IN_PROGRESS" }],
      [],
      "demographicFieldsLocked",
    ],
    [
      "a locked field with an APPROVED case",
      { email: "free@a.test", dob: "1990-01-01" },
      [{ userId: "u-free", status: "APPROVED" }],
      [],
      "demographicFieldsLocked",
    ],
    [
      "a locked field with a REJECTED case",
      { email: "free@a.test", gender: "FEMALE" },
      [{ userId: "u-free", status: "REJECTED" }],
      [],
      "demographicFieldsLocked",
    ],
    [
      "a locked field with a NO_DECISION case",
      { email: "free@a.test", firstName: "Ann" },
      [{ userId: "u-free", status: "NO_DECISION" }],
      [],
      "demographicFieldsLocked",
    ],
    [
      "a locked field sent as null still counts as sent",
      { email: "free@a.test", firstName: null } as unknown as UpdateProfileData,
      [{ userId: "u-free", status: "APPROVED" }],
      [],
      "demographicFieldsLocked",
    ],
    ["OPEN does not lock (the page lists it not)", { email: "free@a.test", firstName: "Ann" }, [{ userId: "u-free", status: "OPEN" }], [], "ok"],
    ["ABANDONED does not lock", { email: "free@a.test", firstName: "Ann" }, [{ userId: "u-free", status: "ABANDONED" }], [], "ok"],
    ["unlocked fields pass a locking case", { email: "free@a.test", city: "Oslo" }, [{ userId: "u-free", status: "APPROVED" }], [], "ok"],
    ["another user's case does not lock this one", { email: "free@a.test", firstName: "Ann" }, [{ userId: "u-other", status: "APPROVED" }], [], "ok"],
    ["… the lock switched off", { email: "free@a.test", firstName: "Ann" }, [{ userId: "u-free", status: "APPROVED" }], ["demographicLock"], "ok"],
    ['"already associated with a different user"', { email: "free@a.test", phoneNumber: "+15550000002" }, [], [], "phoneNumberInUse"],
    ["the user's own number may be sent again", { email: "free@a.test", phoneNumber: "+15550000001" }, [], [], "ok"],
    ["a number no one holds", { email: "free@a.test", phoneNumber: "+15550000999" }, [], [], "ok"],
    ["… uniqueness switched off", { email: "free@a.test", phoneNumber: "+15550000002" }, [], ["phoneUniqueness"], "ok"],
    [
      "the lock answers before the phone rule",
      { email: "free@a.test", firstName: "Ann", phoneNumber: "+15550000002" },
      [{ userId: "u-free", status: "APPROVED" }],
      [],
      "demographicFieldsLocked",
    ],
    ["the organization answers before the role", { email: "b@b.test", firstName: "Ann" }, [], ["roleCheck"], "userNotInOrganization"],
  ];
  it.each(rows)("%s → %s", (_, data, cases, disabled, expected) => {
    expect(failure(decideProfileUpdate(state(cases), "org-a", data, config(disabled)))).toBe(expected);
  });

  it("an accepted update patches only the profile fields sent", () => {
    const decision = decideProfileUpdate(
      state(),
      "org-a",
      { email: "free@a.test", city: "Oslo", role: "ADMIN", id: "x" } as unknown as UpdateProfileData,
      config(),
    );
    expect(decision).toMatchObject({ ok: true, user: { id: "u-free" }, patch: { city: "Oslo" } });
    expect(decision.ok && Object.keys(decision.patch)).toEqual(["city"]);
  });
});

describe("profilePatch and lockedFieldsSent: only the contract's field names", () => {
  it.each([
    ["unknown keys, email and role are never copied", { email: "e", role: "ADMIN", nickname: "n", city: "Oslo" }, { city: "Oslo" }],
    [
      "an inherited or prototype key is never copied",
      JSON.parse('{"__proto__": {"city": "x"}, "constructor": 1, "state": "CA"}') as Record<string, unknown>,
      { state: "CA" },
    ],
    ["null is written as sent (it clears the field)", { address2: null }, { address2: null }],
    ["undefined is not sent", { city: undefined, country: "US" }, { country: "US" }],
  ])("%s", (_, data, expected) => {
    expect(profilePatch(data, config())).toEqual(expected);
  });

  it.each([
    [{ firstName: "A", city: "B" }, ["firstName"]],
    [{ dob: null, gender: "MALE" }, ["dob", "gender"]],
    [{ city: "B", phoneNumber: "+1" }, []],
  ])("lockedFieldsSent(%j) → %j", (data, expected) => {
    expect(lockedFieldsSent(data, config()).sort()).toEqual([...expected].sort());
  });
});

describe("the rules' registry", () => {
  const page = PAGE_SENTENCES.join("\n");

  it("runs the rules in the page's order of failures, each quoting words of the page", () => {
    expect(PROFILE_RULES.map((rule) => rule.failure)).toEqual([
      "userDoesNotExist",
      "userNotInOrganization",
      "notAllowedToUpdateProfile",
      "demographicFieldsLocked",
      "phoneNumberInUse",
    ]);
    for (const rule of PROFILE_RULES) expect(page, `${rule.failure}: ${rule.sentence}`).toContain(rule.sentence.replace(/^"|"$/g, ""));
    expect(RULE_NAMES).toEqual(["organizationScope", "roleCheck", "demographicLock", "phoneUniqueness"]);
  });

  it("each rule refuses some request on the default fixtures, as its exercisedBy says an account needs", () => {
    const fixtures = JSON.parse(readFileSync(new URL("../../fixtures/default.json", import.meta.url), "utf8")) as FixtureSet;
    const view = new StateIndex(fixtures);
    const rules = config();
    const seen = new Set<string>();
    const phones = fixtures.users.flatMap((u) => (u.phoneNumber ? [u.phoneNumber] : []));
    for (const key of fixtures.apiKeys) {
      for (const user of [...fixtures.users, { email: "nobody@nowhere.test" }]) {
        const candidates = [{}, ...rules.lockedFields.map((field) => ({ [field]: "x" })), ...phones.map((phoneNumber) => ({ phoneNumber }))];
        for (const fields of candidates) {
          const decision = decideProfileUpdate(view, key.organizationId, { email: user.email, ...fields } as UpdateProfileData, rules);
          if (!decision.ok) seen.add(decision.failure);
        }
      }
    }
    for (const rule of PROFILE_RULES)
      expect(seen.has(rule.failure), `no account of fixtures/default.json meets ${rule.failure}: it needs ${rule.exercisedBy}`).toBe(true);
  });
});
