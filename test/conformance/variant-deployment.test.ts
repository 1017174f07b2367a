// Independent deployments of the vendor's endpoint, one per seed: every documented rule holds on each, every knob
// changes what it says, and every planted break breaks its one rule and no other.
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, test } from "vitest";
import { closedAfterEach } from "../support/closed-after-each.js";
import { call, isJsonLabel, updateProfile, type Reply } from "../support/variant-client.js";
import { probeDocumentedRules, type Failure } from "../support/variant-probes.js";
import {
  BREAKS,
  breakRule,
  describeKnobs,
  drawKnobs,
  startVariant,
  type Break,
  type Knobs,
  type Refusal,
  type VariantDeployment,
} from "../support/variants/index.js";
import { ACCOUNT_NAMES, EMPTYABLE_FIELDS, ENVELOPES, EXTRAS, REFUSAL_KINDS, REFUSAL_STATUS_CHOICES } from "../support/variants/knobs.js";
import { LEGACY_STATE, qaAccounts } from "../support/variants/qa-accounts.js";
import { LOCKING_STATUSES } from "../support/variants/domain.js";

/** Replay: VARIANT_SEED=<n> runs the rule table from that seed; VARIANT_SEEDS=<count> sets how many; VARIANT_BREAK_SEEDS=<count> the seeds per break. */
const FIRST_SEED = Number(process.env.VARIANT_SEED ?? 20_261_202);
const SEED_COUNT = Number(process.env.VARIANT_SEEDS ?? 40);
const SEEDS_PER_BREAK = Number(process.env.VARIANT_BREAK_SEEDS ?? 2);
const PARALLEL = 12;

const start = closedAfterEach(startVariant);

/** Runs jobs a few at a time (the waits of write-behind deployments overlap), closing every deployment. */
async function inPool<T, R>(items: readonly T[], job: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      for (let i = next++; i < items.length; i = next++) results[i] = await job(items[i] as T);
    }),
  );
  return results;
}

async function probeVariant(knobs: Knobs, breaks: readonly Break[] = []): Promise<{ failures: Failure[]; knobs: Knobs }> {
  const d = await startVariant({ knobs, breaks });
  try {
    return { failures: await probeDocumentedRules(d), knobs: d.knobs };
  } finally {
    await d.close();
  }
}

const report = (seed: number, knobs: Knobs, failures: Failure[]) =>
  `seed ${seed} (replay: VARIANT_SEED=${seed} VARIANT_SEEDS=1)\n  knobs: ${describeKnobs(knobs)}\n${failures.map((f) => `  [${f.rule}] ${f.probe}: ${f.reason}`).join("\n")}`;

describe("seeds and knobs", () => {
  test("the same seed draws the same deployment, and neighbouring seeds draw different ones", () => {
    expect(drawKnobs(7)).toEqual(drawKnobs(7));
    expect(drawKnobs(2 ** 40 + 3)).toEqual(drawKnobs(2 ** 40 + 3));
    const lines = new Set(Array.from({ length: 50 }, (_, i) => describeKnobs(drawKnobs(i))));
    expect(lines.size).toBe(50);
    expect(() => drawKnobs(1.5)).toThrow(/safe integer/);
  });

  test("every choice of every knob is drawn by some seed", () => {
    const seen = new Map<string, Set<string>>();
    const note = (name: string, value: unknown) => {
      const values = seen.get(name) ?? new Set<string>();
      values.add(JSON.stringify(value));
      seen.set(name, values);
    };
    for (let seed = 0; seed < 3000; seed++) {
      const k = drawKnobs(seed);
      const { refusals, accounts, extras, lagMs, rateLimitEvery, ...plain } = k;
      for (const [name, value] of Object.entries(plain)) note(name, value);
      for (const kind of REFUSAL_KINDS) (["status", "envelope"] as const).forEach((part) => note(`${kind}.${part}`, refusals[kind][part]));
      for (const extra of EXTRAS) note(`extra ${extra}`, extras.includes(extra));
      note("lag in 10-80", lagMs >= 10 && lagMs <= 80);
      note("rate limited", rateLimitEvery !== null);
      note("legacyStateOn", accounts.legacyStateOn);
      note("lockedCaseStatus", accounts.lockedCaseStatus);
      note("updatableCase", accounts.updatableCase);
      note("staffRole", accounts.staffRole);
      note("fillerUsers", accounts.fillerUsers);
      for (const name of ACCOUNT_NAMES)
        for (const field of EMPTYABLE_FIELDS) note(`${name} ${field} empty`, accounts.emptyFields[name].includes(field));
    }
    const expectAll = (name: string, values: readonly unknown[]) =>
      expect([...(seen.get(name) ?? [])].sort(), name).toEqual(values.map((v) => JSON.stringify(v)).sort());
    for (const kind of REFUSAL_KINDS) {
      expectAll(`${kind}.status`, REFUSAL_STATUS_CHOICES[kind]);
      expectAll(`${kind}.envelope`, ENVELOPES);
    }
    expectAll("contentType", ["refused", "bodyIgnored"]);
    expectAll("validationAt", ["beforeLookup", "afterLookup", "afterAccessChecks", "betweenLockAndPhone", "last"]);
    expectAll("nulls", ["clearAll", "clearAddress2Only", "refused", "ignored"]);
    expectAll("consistency", ["immediate", "writeBehind", "staleReplica"]);
    expectAll("search", ["none", "date", "dateTime"]);
    expectAll("lockedCaseStatus", LOCKING_STATUSES);
    expectAll("legacyStateOn", [null, ...ACCOUNT_NAMES]);
    expectAll("lag in 10-80", [true]);
    for (const extra of EXTRAS) expectAll(`extra ${extra}`, [true, false]);
    // Constant by design: the target file names these two accounts' numbers, and every lag is in range.
    const constant = new Set(["phoneOwner phoneNumber empty", "otherOrganizationUser phoneNumber empty", "lag in 10-80"]);
    for (const [name, values] of seen) if (!constant.has(name)) expect(values.size, `${name} takes more than one value`).toBeGreaterThan(1);
  });

  test("docs/variant-deployments.md names every knob and every break with its rule", () => {
    const doc = readFileSync(new URL("../../docs/variant-deployments.md", import.meta.url), "utf8");
    const k = drawKnobs(0);
    for (const name of [
      ...Object.keys(k).filter((n) => n !== "refusals" && n !== "accounts"),
      ...Object.keys(k.accounts).map((n) => `accounts.${n}`),
    ])
      expect(doc, name).toContain(`\`${name}\``);
    for (const b of BREAKS) expect(doc, b).toMatch(new RegExp(`\\| \`${b}\` \\| ${breakRule(b)} \\|`));
  });

  test("the QA accounts are what the target file says they are, on every seed", () => {
    for (let seed = 0; seed < 300; seed++) {
      const qa = qaAccounts(drawKnobs(seed).accounts);
      const [main, other] = qa.organizations;
      const user = (email: string) => qa.users.find((u) => u.email === email);
      const statuses = (email: string) => qa.cases.filter((c) => c.userId === user(email)?.id).map((c) => c.status);
      const { accounts } = qa.target;
      const locking = (s: string) => (LOCKING_STATUSES as readonly string[]).includes(s);
      expect(user(accounts.updatableUser.email)).toMatchObject({ role: "USER", organizationId: main.id });
      expect(statuses(accounts.updatableUser.email).some(locking)).toBe(false);
      expect(user(accounts.lockedUser.email)).toMatchObject({ role: "USER", organizationId: main.id });
      expect(statuses(accounts.lockedUser.email).some(locking)).toBe(true);
      expect(statuses(accounts.unlockedCaseUser.email).sort()).toEqual(["ABANDONED", "OPEN"]);
      expect(user(accounts.otherOrganizationUser.email)).toMatchObject({
        role: "USER",
        organizationId: other.id,
        phoneNumber: accounts.otherOrganizationUser.phoneNumber,
      });
      expect(user(accounts.staffUser.email)?.role).not.toBe("USER");
      expect(user(accounts.phoneOwner.email)).toMatchObject({ role: "USER", organizationId: main.id, phoneNumber: accounts.phoneOwner.phoneNumber });
      expect(accounts.phoneOwner.email).not.toBe(accounts.updatableUser.email);
      expect(qa.users.some((u) => u.phoneNumber === qa.target.freePhoneNumber)).toBe(false);
      expect(user(qa.target.unknownEmail)).toBeUndefined();
      expect(new Set(qa.users.map((u) => u.email.toLowerCase())).size).toBe(qa.users.length);
      const phones = qa.users.map((u) => u.phoneNumber).filter((p) => p !== null);
      expect(new Set(phones).size).toBe(phones.length);
      expect(qa.target.otherOrganization).toEqual({ apiKeyEnv: "CV_OTHER_API_KEY" });
    }
  });
});

describe(`every documented rule holds on ${SEED_COUNT} seeded variants from seed ${FIRST_SEED}`, () => {
  test("no probe of the page's rules fails, and nothing refused changed anything", async () => {
    const seeds = Array.from({ length: SEED_COUNT }, (_, i) => FIRST_SEED + i);
    const runs = await inPool(seeds, async (seed) => ({ seed, ...(await probeVariant(drawKnobs(seed))) }));
    const failed = runs.filter((r) => r.failures.length > 0);
    expect(failed.map((r) => report(r.seed, r.knobs, r.failures)).join("\n")).toBe("");
  });
});

describe("hostile input never crashes a conforming variant", () => {
  test("odd bodies, encodings, methods and queries all get a 4xx or 200 with a JSON body", async () => {
    for (const seed of [31, 32, 33, 34]) {
      const d = await start({ knobs: calm({}, seed) });
      const email = d.target.accounts.updatableUser.email;
      const update = (data: unknown) => ({ action: "UPDATE_PROFILE", data });
      const bodies: unknown[] = [
        [],
        1,
        "x",
        {},
        update([]),
        update(null),
        update({ email: null }),
        update({ email: 5 }),
        update({ email: "" }),
        update({ email, dob: null, gender: null, firstName: null, phoneNumber: null }),
        `{"action":"UPDATE_PROFILE","data":{"email":"${email}","__proto__":{"firstName":"x"},"constructor":1}}`,
        update({ email, firstName: { a: 1 }, dob: ["1990-01-01"] }),
        { ...update({ email, phoneNumber: "+" }), extra: { deep: [1] } },
        "[".repeat(5000) + "]".repeat(5000),
        '{"action":"UPDATE_PROFILE","data":{"email":"\\ud800"}}',
        update({ email: `${email}\u0000` }),
        update({ email, city: "\u202e\ud83d\ude00", dob: "0000-00-00", state: "\u00c9\u00c9" }),
      ];
      const replies = await Promise.all(bodies.map((body) => call(d, { body })));
      const gzip = (text: string) => new Uint8Array(gzipSync(text));
      replies.push(
        await call(d, { method: "OPTIONS" }),
        await call(d, { method: "DELETE" }),
        await call(d, { method: "GET", path: "/api/v1/users?limit=abc&email[a]=b&after=zzz" }),
        await call(d, { method: "GET", path: "/api/v1/users?email=%E0%A4%A&limit=1e400" }),
        await call(d, { path: "/somewhere-else" }),
        await call(d, { body: "{}", contentType: "application/json; charset=latin1" }),
        await call(d, { body: "{}", headers: { "content-encoding": "gzip" } }),
        await call(d, { body: "{}", headers: { "content-encoding": "br-unknown" } }),
        await call(d, { body: gzip(JSON.stringify(update({ email }))), contentType: "application/json", headers: { "content-encoding": "gzip" } }),
      );
      for (const [i, r] of replies.entries()) {
        expect(r.status < 500 && r.body !== undefined && isJsonLabel(r), `seed ${seed} request ${i}: ${r.status} ${r.text.slice(0, 120)}`).toBe(true);
      }
      expect(replies.at(-1)?.status, "a gzip-encoded JSON body is read").toBe(200);
    }
  });
});

describe("planted breaks", () => {
  const results = new Map<Break, { seed: number; knobs: Knobs; failures: Failure[] }[]>();
  beforeAll(async () => {
    const jobs = BREAKS.flatMap((b, i) =>
      Array.from({ length: SEEDS_PER_BREAK }, (_, j) => ({ b, seed: FIRST_SEED + 10_000 + i * SEEDS_PER_BREAK + j })),
    );
    const runs = await inPool(jobs, async ({ b, seed }) => ({ b, seed, ...(await probeVariant(drawKnobs(seed), [b])) }));
    for (const run of runs) results.set(run.b, [...(results.get(run.b) ?? []), run]);
  }, 60_000);

  test("there are at least 25, each naming one documented rule", () => {
    expect(BREAKS.length).toBeGreaterThanOrEqual(25);
    expect(new Set(BREAKS.map(breakRule)).size).toBeGreaterThanOrEqual(10);
  });

  test.each(BREAKS.map((b) => [b, breakRule(b)] as const))("%s breaks the %s rule, and only it", (b, rule) => {
    for (const run of results.get(b) ?? []) {
      expect(run.failures.length, `not caught on ${report(run.seed, run.knobs, [])}`).toBeGreaterThan(0);
      const others = run.failures.filter((f) => f.rule !== rule);
      expect(others.length, report(run.seed, run.knobs, others)).toBe(0);
    }
    expect(results.get(b)?.length).toBe(SEEDS_PER_BREAK);
  });
});

/** A drawn deployment made quiet for one knob's test: no rate limiting, no lag, unless the test asks. */
const calm = (overrides: Partial<Knobs> = {}, seed = 5): Knobs => ({
  ...drawKnobs(seed),
  consistency: "immediate",
  rateLimitEvery: null,
  ...overrides,
});

const ENVELOPE_KEYS = {
  page: ["message", "status", "success"],
  errorCode: ["code", "error"],
  statusErrorCode: ["code", "error", "status", "success"],
  pagePlusErrorCode: ["code", "error", "message", "status", "success"],
} as const;

/** The answer is this deployment's refusal: its status, its envelope, its words. */
function expectRefusal(reply: Reply, r: Refusal, what: string): void {
  expect(reply.status, `${what}: ${reply.text}`).toBe(r.status);
  expect(isJsonLabel(reply), what).toBe(true);
  const b = reply.body as Record<string, unknown>;
  expect(Object.keys(b).sort(), what).toEqual([...ENVELOPE_KEYS[r.envelope]]);
  expect(String(b.message ?? b.error).startsWith(r.message), `${what}: ${reply.text}`).toBe(true);
  if ("code" in b) expect(b.code, what).toBe(r.code);
  if ("status" in b) expect([b.status, b.success], what).toEqual([r.status, false]);
}

function expectDocumented(reply: Reply, message: string): void {
  expect(reply.status, reply.text).toBe(400);
  expect(reply.body).toMatchObject({ status: 400, success: false, message });
}

async function stored(d: VariantDeployment, email: string): Promise<Record<string, unknown>> {
  await d.settled();
  return d.profiles()[email] ?? {};
}

const LOCK_MESSAGE = "Cannot update user profile fields (firstName, lastName, dob, gender) for user with cases";
const PHONE_MESSAGE = "Unable to use this phone number. Please use a different one";

describe("each knob changes what it says", () => {
  test("every undocumented refusal gets the deployment's drawn status, envelope and words", async () => {
    for (const seed of [11, 12, 13, 14, 15, 16]) {
      const d = await start({ knobs: calm({}, seed) });
      const k = d.knobs;
      const email = d.target.accounts.updatableUser.email;
      const r = k.refusals;
      const tag = (what: string) => `seed ${seed} ${what} (${describeKnobs(k)})`;
      expectRefusal(await updateProfile(d, { email }, { key: null }), r.missingKey, tag("missing key"));
      expectRefusal(await updateProfile(d, { email }, { key: "" }), r.emptyKey, tag("empty key"));
      expectRefusal(await updateProfile(d, { email }, { key: "cvk_unknown" }), r.unknownKey, tag("unknown key"));
      expectRefusal(await call(d, { body: "{" }), r.malformedJson, tag("malformed JSON"));
      expectRefusal(await call(d, { body: { action: "REMOVE_PROFILE", data: { email } } }), r.wrongShape, tag("other action"));
      expectRefusal(await call(d, { body: { action: "UPDATE_PROFILE" } }), r.wrongShape, tag("no data"));
      expectRefusal(await updateProfile(d, { email, state: "NYC" }), r.invalidField, tag("bad state"));
      expectRefusal(
        await updateProfile(d, { email }, { contentType: "text/plain" }),
        k.contentType === "refused" ? r.contentType : r.wrongShape,
        tag("text/plain"),
      );
      const put = await call(d, { method: "PUT", body: { action: "UPDATE_PROFILE", data: { email } } });
      expectRefusal(put, r.method, tag("PUT"));
      if (put.status === 405) expect(put.headers.get("allow")).toContain("POST");
      expectRefusal(await updateProfile(d, { email, address: "x".repeat(k.bodyLimitKb * 1024) }), r.tooLarge, tag("too large"));
    }
  });

  test("a missing key and an unknown one may get different statuses and envelopes", async () => {
    const base = calm();
    const refusals = {
      ...base.refusals,
      missingKey: { status: 400, envelope: "page", message: "Secret key not provided!", code: "X" },
      unknownKey: { status: 404, envelope: "statusErrorCode", message: "Organization not found", code: "NOT_FOUND" },
    } as const;
    const d = await start({ knobs: { ...base, refusals } });
    const email = d.target.accounts.updatableUser.email;
    expect((await updateProfile(d, { email }, { key: null })).body).toEqual({ status: 400, success: false, message: "Secret key not provided!" });
    expect((await updateProfile(d, { email }, { key: "nope" })).body).toEqual({
      status: 404,
      success: false,
      error: "Organization not found",
      code: "NOT_FOUND",
    });
  });

  test("contentType: refused outright, or the body is not read and validation refuses it; never applied", async () => {
    for (const contentType of ["refused", "bodyIgnored"] as const) {
      const d = await start({ knobs: calm({ contentType }) });
      const email = d.target.accounts.updatableUser.email;
      const before = await stored(d, email);
      for (const label of ["text/plain", null, "application/x-www-form-urlencoded"]) {
        expectRefusal(
          await updateProfile(d, { email, city: "Plain" }, { contentType: label }),
          contentType === "refused" ? d.knobs.refusals.contentType : d.knobs.refusals.wrongShape,
          `${contentType} ${label}`,
        );
      }
      expect((await updateProfile(d, { email }, { contentType: "application/json; charset=utf-8" })).status).toBe(200);
      expect(await stored(d, email)).toEqual(before);
    }
  });

  test("jsonStrict: a bare null is malformed JSON, or parsed and refused as the wrong shape", async () => {
    for (const jsonStrict of [true, false]) {
      const d = await start({ knobs: calm({ jsonStrict }) });
      expectRefusal(
        await call(d, { body: "null" }),
        jsonStrict ? d.knobs.refusals.malformedJson : d.knobs.refusals.wrongShape,
        `strict ${jsonStrict}`,
      );
    }
  });

  test("keyCheckedFirst: malformed JSON without a key is a key refusal, or a JSON one", async () => {
    for (const keyCheckedFirst of [true, false]) {
      const d = await start({ knobs: calm({ keyCheckedFirst }) });
      expectRefusal(
        await call(d, { body: "{", key: null }),
        keyCheckedFirst ? d.knobs.refusals.missingKey : d.knobs.refusals.malformedJson,
        `keyCheckedFirst ${keyCheckedFirst}`,
      );
    }
  });

  test("bodyLimitKb: a body over the limit is refused, one under it is read", async () => {
    const d = await start({ knobs: calm({ bodyLimitKb: 16, textMaxLength: null }) });
    const email = d.target.accounts.updatableUser.email;
    expect((await updateProfile(d, { email, address: "7".repeat(15 * 1024) })).status).toBe(200);
    expectRefusal(await updateProfile(d, { email, address: "7".repeat(17 * 1024) }), d.knobs.refusals.tooLarge, "17 KiB");
  });

  test("normalisation: trimmed text, upper-cased codes, empty strings", async () => {
    const cases: { knobs: Partial<Knobs>; data: Record<string, unknown>; expect: Record<string, unknown> | "refused" }[] = [
      { knobs: { trimText: true }, data: { firstName: "  Ada  " }, expect: { firstName: "Ada" } },
      { knobs: { trimText: false }, data: { firstName: "  Ada  " }, expect: { firstName: "  Ada  " } },
      { knobs: { genderCase: "upper" }, data: { gender: "female" }, expect: { gender: "FEMALE" } },
      { knobs: { genderCase: "strict" }, data: { gender: "female" }, expect: "refused" },
      { knobs: { genderValues: "free", genderCase: "upper" }, data: { gender: "nonbinary" }, expect: { gender: "NONBINARY" } },
      { knobs: { genderValues: "enum" }, data: { gender: "NONBINARY" }, expect: "refused" },
      { knobs: { regionCase: "upper" }, data: { state: "ca", country: "us" }, expect: { state: "CA", country: "US" } },
      { knobs: { regionCase: "strict" }, data: { state: "ca" }, expect: "refused" },
      { knobs: { regionCase: "asSent" }, data: { state: "ca" }, expect: { state: "ca" } },
      { knobs: { emptyText: "refused" }, data: { city: "" }, expect: "refused" },
      { knobs: { emptyText: "stored", trimText: false }, data: { city: "" }, expect: { city: "" } },
      { knobs: { emptyText: "clears" }, data: { city: "" }, expect: { city: null } },
      { knobs: { phoneFormat: "normalise" }, data: { phoneNumber: "(206) 555-0100" }, expect: { phoneNumber: "+12065550100" } },
      { knobs: { phoneFormat: "normalise" }, data: { phoneNumber: "+1 206-555-0101" }, expect: { phoneNumber: "+12065550101" } },
      { knobs: { phoneFormat: "e164Only" }, data: { phoneNumber: "+1 206-555-0102" }, expect: "refused" },
      { knobs: { postalCode: "digits" }, data: { postalCode: "123" }, expect: { postalCode: "123" } },
      { knobs: { postalCode: "fiveDigits" }, data: { postalCode: "123" }, expect: "refused" },
      { knobs: { postalCode: "fiveOrZip4" }, data: { postalCode: "12345-6789" }, expect: { postalCode: "12345-6789" } },
      { knobs: { postalCode: "digits" }, data: { postalCode: "12345-6789" }, expect: "refused" },
      { knobs: { nameMaxLength: 50 }, data: { lastName: "L".repeat(51) }, expect: "refused" },
      { knobs: { nameMaxLength: null }, data: { lastName: "L".repeat(51) }, expect: { lastName: "L".repeat(51) } },
      { knobs: { textMaxLength: 255 }, data: { city: "C".repeat(256) }, expect: "refused" },
      { knobs: { textMaxLength: 1000 }, data: { city: "C".repeat(256) }, expect: { city: "C".repeat(256) } },
      { knobs: { dobRange: "notFuture" }, data: { dob: "2999-01-01" }, expect: "refused" },
      { knobs: { dobRange: "notFuture" }, data: { dob: "1850-01-01" }, expect: { dob: "1850-01-01" } },
      { knobs: { dobRange: "since1900NotFuture" }, data: { dob: "1850-01-01" }, expect: "refused" },
      { knobs: { dobRange: "any" }, data: { dob: "2999-01-01" }, expect: { dob: "2999-01-01" } },
      { knobs: { refusePoBox: true }, data: { address: "PO Box 12" }, expect: "refused" },
      { knobs: { refusePoBox: false }, data: { address: "PO Box 12" }, expect: { address: "PO Box 12" } },
    ];
    for (const c of cases) {
      const d = await start({ knobs: calm(c.knobs) });
      const email = d.target.accounts.updatableUser.email;
      const before = await stored(d, email);
      const reply = await updateProfile(d, { email, ...c.data });
      const what = `${JSON.stringify(c.knobs)} ${JSON.stringify(c.data)}: ${reply.text}`;
      if (c.expect === "refused") {
        expectRefusal(reply, d.knobs.refusals.invalidField, what);
        expect(await stored(d, email), what).toEqual(before);
      } else {
        expect(reply.status, what).toBe(200);
        expect(await stored(d, email), what).toMatchObject(c.expect);
      }
    }
  });

  test("emailMatch and emailInMessage: email compared case-insensitively or exactly, quoted as sent or as stored", async () => {
    const insensitive = await start({ knobs: calm({ emailMatch: "caseInsensitive", emailInMessage: "normalised" }) });
    const upper = insensitive.target.accounts.updatableUser.email.toUpperCase();
    expect((await updateProfile(insensitive, { email: upper })).body.data.user.email).toBe(upper.toLowerCase());
    expectDocumented(await updateProfile(insensitive, { email: "NoBody@Clinic-A.example" }), "User nobody@clinic-a.example does not exist");
    const asSent = await start({ knobs: calm({ emailMatch: "caseInsensitive", emailInMessage: "asSent" }) });
    expectDocumented(await updateProfile(asSent, { email: "NoBody@Clinic-A.example" }), "User NoBody@Clinic-A.example does not exist");
    const exact = await start({ knobs: calm({ emailMatch: "exact", emailInMessage: "asSent" }) });
    expectDocumented(
      await updateProfile(exact, { email: exact.target.accounts.updatableUser.email.toUpperCase() }),
      `User ${exact.target.accounts.updatableUser.email.toUpperCase()} does not exist`,
    );
  });

  test("emailFormatChecked: a malformed email is a bad field, or simply not found", async () => {
    const checked = await start({ knobs: calm({ emailFormatChecked: true }) });
    expectRefusal(await updateProfile(checked, { email: "not-an-email" }), checked.knobs.refusals.invalidField, "checked");
    const looked = await start({ knobs: calm({ emailFormatChecked: false, emailMatch: "exact" }) });
    expectDocumented(await updateProfile(looked, { email: "not-an-email" }), "User not-an-email does not exist");
  });

  test("validationAt: where field validation sits among the rule checks decides which refusal a request with two faults gets", async () => {
    const positions = ["beforeLookup", "afterLookup", "afterAccessChecks", "betweenLockAndPhone", "last"] as const;
    for (const validationAt of positions) {
      const d = await start({ knobs: calm({ validationAt, phoneBeforeLock: false, lockTrigger: "presence" }) });
      const { staffUser, lockedUser } = d.target.accounts;
      const staff = await updateProfile(d, { email: staffUser.email, state: "NYC" });
      if (validationAt === "beforeLookup" || validationAt === "afterLookup") expectRefusal(staff, d.knobs.refusals.invalidField, validationAt);
      else expectDocumented(staff, "Not allowed to update the profile");
      const unknown = await updateProfile(d, { email: d.target.unknownEmail, state: "NYC" });
      if (validationAt === "beforeLookup") expectRefusal(unknown, d.knobs.refusals.invalidField, validationAt);
      else expectDocumented(unknown, `User ${d.target.unknownEmail} does not exist`);
      const locked = await updateProfile(d, { email: lockedUser.email, firstName: "Quinn", state: "NYC" });
      if (validationAt === "betweenLockAndPhone" || validationAt === "last") expectDocumented(locked, LOCK_MESSAGE);
      else expectRefusal(locked, d.knobs.refusals.invalidField, validationAt);
    }
  });

  test("roleBeforeOrg: another organization's staff user is refused by role, or by organization", async () => {
    for (const roleBeforeOrg of [true, false]) {
      const d = await start({ knobs: calm({ roleBeforeOrg, validationAt: "last" }) });
      const reply = await updateProfile(d, { email: d.qa.otherOrganizationStaffEmail, city: "X" });
      expectDocumented(
        reply,
        roleBeforeOrg ? "Not allowed to update the profile" : `User ${d.qa.otherOrganizationStaffEmail} does not exist in the organization`,
      );
    }
  });

  test("phoneBeforeLock: a locked field and a taken number get the phone message, or the lock's", async () => {
    for (const phoneBeforeLock of [true, false]) {
      const d = await start({ knobs: calm({ phoneBeforeLock, lockTrigger: "presence", validationAt: "last" }) });
      const { lockedUser, phoneOwner } = d.target.accounts;
      expectDocumented(
        await updateProfile(d, { email: lockedUser.email, firstName: "Quinn", phoneNumber: phoneOwner.phoneNumber }),
        phoneBeforeLock ? PHONE_MESSAGE : LOCK_MESSAGE,
      );
    }
  });

  test("lockTrigger: the locked account sending its own first name is refused (presence) or accepted (change)", async () => {
    for (const lockTrigger of ["presence", "change"] as const) {
      const d = await start({ knobs: calm({ lockTrigger }) });
      const email = d.target.accounts.lockedUser.email;
      const { firstName } = await stored(d, email);
      const reply = await updateProfile(d, { email, firstName });
      if (lockTrigger === "presence") expectDocumented(reply, LOCK_MESSAGE);
      else expect(reply.status, reply.text).toBe(200);
    }
  });

  test("nulls: null clears a field, clears address2 only, is refused, or is ignored", async () => {
    const expected = {
      clearAll: [null, null],
      clearAddress2Only: ["refused", null],
      refused: ["refused", "refused"],
      ignored: ["kept", "kept"],
    } as const;
    for (const [nulls, [city, address2]] of Object.entries(expected) as [Knobs["nulls"], readonly (null | "refused" | "kept")[]][]) {
      const d = await start({
        knobs: calm({ nulls, accounts: { ...calm().accounts, emptyFields: { ...calm().accounts.emptyFields, updatableUser: [] } } }),
      });
      const email = d.target.accounts.updatableUser.email;
      for (const [field, outcome] of [
        ["city", city],
        ["address2", address2],
      ] as const) {
        const before = await stored(d, email);
        const reply = await updateProfile(d, { email, [field]: null });
        if (outcome === "refused") expectRefusal(reply, d.knobs.refusals.invalidField, `${nulls} ${field}`);
        else expect(reply.status, `${nulls} ${field}: ${reply.text}`).toBe(200);
        expect((await stored(d, email))[field], `${nulls} ${field}`).toBe(outcome === null ? null : before[field]);
      }
    }
  });

  test("unknownKeys: an unknown key in data (or beside it) is dropped, or refused", async () => {
    const dropped = await start({ knobs: calm({ unknownKeys: "dropped" }) });
    const email = dropped.target.accounts.updatableUser.email;
    const reply = await updateProfile(dropped, { email, nickname: "Ace", city: "Dropton" });
    expect(reply.status).toBe(200);
    expect(reply.body.data.user).not.toHaveProperty("nickname");
    expect((await call(dropped, { body: { action: "UPDATE_PROFILE", data: { email }, extra: 1 } })).status).toBe(200);
    const strict = await start({ knobs: calm({ unknownKeys: "refused" }) });
    const strictEmail = strict.target.accounts.updatableUser.email;
    expectRefusal(await updateProfile(strict, { email: strictEmail, nickname: "Ace" }), strict.knobs.refusals.invalidField, "data.nickname");
    expectRefusal(
      await call(strict, { body: { action: "UPDATE_PROFILE", data: { email: strictEmail }, extra: 1 } }),
      strict.knobs.refusals.wrongShape,
      "extra",
    );
  });

  test("answers: dob as a date or a date-time, extra fields, empty fields null or left out, documented codes", async () => {
    const noEmpty = calm().accounts;
    for (const [dobOut, emptyOut, extras, documentedCodes] of [
      ["date", "null", [], false],
      ["dateTime", "omitted", ["id", "timestamps", "health", "role", "organizationId"], true],
    ] as const) {
      const d = await start({
        knobs: calm({
          dobOut,
          emptyOut,
          extras,
          documentedCodes,
          accounts: { ...noEmpty, emptyFields: { ...noEmpty.emptyFields, updatableUser: ["city"] } },
        }),
      });
      const email = d.target.accounts.updatableUser.email;
      const user = (await updateProfile(d, { email, dob: "1995-10-01" })).body.data.user;
      expect(user.dob).toBe(dobOut === "date" ? "1995-10-01" : "1995-10-01T00:00:00.000Z");
      if (emptyOut === "null") expect(user.city).toBeNull();
      else expect(user).not.toHaveProperty("city");
      for (const field of ["id", "createdAt", "updatedAt", "role", "organizationId"]) expect(field in user, field).toBe(extras.length > 0);
      const table = d.qa.users.find((u) => u.email === email);
      for (const field of ["allergies", "currentMedications", "healthConditions"] as const) {
        expect(field in user, field).toBe(extras.length > 0 && (table?.[field] !== null || emptyOut === "null"));
      }
      const missing = (await updateProfile(d, { email: d.target.unknownEmail })).body;
      expect("code" in missing).toBe(documentedCodes);
    }
  });

  test("updatedAtEveryCall: an email-only update bumps updatedAt, or leaves it", async () => {
    for (const updatedAtEveryCall of [true, false]) {
      const d = await start({ knobs: calm({ updatedAtEveryCall, extras: ["timestamps"] }) });
      const email = d.target.accounts.updatableUser.email;
      const first = (await updateProfile(d, { email })).body.data.user;
      await new Promise((resolve) => setTimeout(resolve, 3));
      const second = (await updateProfile(d, { email })).body.data.user;
      expect(second.updatedAt !== first.updatedAt, `updatedAtEveryCall ${updatedAtEveryCall}`).toBe(updatedAtEveryCall);
      expect(first.createdAt).toBe(second.createdAt);
    }
  });

  test("consistency: writes applied at once, behind a queue, or read from a lagging replica; settled() waits for both", async () => {
    for (const consistency of ["immediate", "writeBehind", "staleReplica"] as const) {
      // updatedAtEveryCall off: an email-only update is then a read, not a write answered from the primary.
      const d = await start({ knobs: calm({ consistency, lagMs: 80, updatedAtEveryCall: false }) });
      const email = d.target.accounts.updatableUser.email;
      const old = d.profiles()[email]?.city;
      const reply = await updateProfile(d, { email, city: "Lagtown" });
      expect(reply.body.data.user.city, consistency).toBe("Lagtown");
      expect(d.profiles()[email]?.city, `${consistency}: the table right after the 200`).toBe(consistency === "writeBehind" ? old : "Lagtown");
      const readAtOnce = (await updateProfile(d, { email })).body.data.user;
      expect(readAtOnce.city ?? null, `${consistency}: a read right after the 200`).toBe(consistency === "immediate" ? "Lagtown" : old);
      await d.settled();
      expect(d.profiles()[email]?.city).toBe("Lagtown");
      expect((await updateProfile(d, { email })).body.data.user.city).toBe("Lagtown");
    }
  });

  test("search: GET /api/v1/users is not offered, or answers the organization's users by email prefix, paged by cursor", async () => {
    const none = await start({ knobs: calm({ search: "none" }) });
    expectRefusal(await call(none, { method: "GET", path: "/api/v1/users?email=a" }), none.knobs.refusals.method, "no search");
    for (const search of ["date", "dateTime"] as const) {
      const d = await start({ knobs: calm({ search, emptyOut: "null" }) });
      const { updatableUser, otherOrganizationUser } = d.target.accounts;
      const found = await call(d, {
        method: "GET",
        path: `/api/v1/users?email=${encodeURIComponent(updatableUser.email.slice(0, updatableUser.email.indexOf("@")))}`,
      });
      expect(found.body.meta).toEqual({ hasMore: false, cursor: expect.any(String) });
      expect(found.body.data.map((u: any) => u.email)).toEqual([updatableUser.email]);
      const dob = found.body.data[0].dob;
      if (dob !== null) expect(dob).toMatch(search === "date" ? /^\d{4}-\d{2}-\d{2}$/ : /^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/);
      expect((await call(d, { method: "GET", path: `/api/v1/users?email=${encodeURIComponent(otherOrganizationUser.email)}` })).body.data).toEqual(
        [],
      );
      expect(
        (await call(d, { method: "GET", key: d.otherApiKey, path: `/api/v1/users?email=${encodeURIComponent(otherOrganizationUser.email)}` })).body
          .data,
      ).toHaveLength(1);
      const all = (await call(d, { method: "GET", path: "/api/v1/users?limit=100" })).body.data.map((u: any) => u.email);
      const paged: string[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await call(d, { method: "GET", path: `/api/v1/users?limit=2${cursor ? `&after=${cursor}` : ""}` });
        paged.push(...page.body.data.map((u: any) => u.email));
        if (!page.body.meta.hasMore) break;
        cursor = page.body.meta.cursor;
      }
      expect(paged).toEqual(all);
      expect(all.length).toBe(Object.values(d.qa.users).filter((u) => u.organizationId === d.qa.organizations[0].id).length);
      expect((await call(d, { method: "GET", path: "/api/v1/users?limit=100&sorOrder=desc" })).body.data.map((u: any) => u.email)).toEqual(
        [...all].reverse(),
      );
      expectRefusal(await call(d, { method: "GET", path: "/api/v1/users?limit=0" }), d.knobs.refusals.invalidField, "limit=0");
      expectRefusal(await call(d, { method: "GET", key: null, path: "/api/v1/users" }), d.knobs.refusals.missingKey, "search without key");
    }
  });

  test("accounts: the QA data's empty fields and legacy state are what the knobs say, and the legacy value is refused on write", async () => {
    const base = calm().accounts;
    const d = await start({
      knobs: calm({
        regionCase: "upper",
        accounts: { ...base, legacyStateOn: "lockedUser", emptyFields: { ...base.emptyFields, updatableUser: ["city", "address2", "postalCode"] } },
      }),
    });
    const { updatableUser, lockedUser } = d.target.accounts;
    expect(await stored(d, updatableUser.email)).toMatchObject({ city: null, address2: null, postalCode: null });
    expect((await stored(d, lockedUser.email)).state).toBe(LEGACY_STATE);
    expectRefusal(
      await updateProfile(d, { email: lockedUser.email, state: LEGACY_STATE }),
      d.knobs.refusals.invalidField,
      "legacy state written back",
    );
  });

  test("headers: charset, gzip, x-powered-by, ETag", async () => {
    for (const [charset, gzip, poweredBy, etag] of [
      [true, true, true, true],
      [false, false, false, false],
    ] as const) {
      const d = await start({ knobs: calm({ charset, gzip, poweredBy, etag }) });
      const reply = await updateProfile(d, { email: d.target.accounts.updatableUser.email }, { headers: { "accept-encoding": "gzip" } });
      expect(reply.body.success).toBe(true);
      expect(reply.headers.get("content-type")).toBe(charset ? "application/json; charset=utf-8" : "application/json");
      expect(reply.headers.get("content-encoding")).toBe(gzip ? "gzip" : null);
      expect(reply.headers.get("x-powered-by")).toBe(poweredBy ? "Express" : null);
      expect(reply.headers.has("etag")).toBe(etag);
    }
  });

  test("requestIdHeader: a request id under the deployment's spelling, the client's own echoed", async () => {
    for (const requestIdHeader of ["x-request-id", "X-Request-Id", "none"] as const) {
      const d = await start({ knobs: calm({ requestIdHeader }) });
      const raw = await new Promise<string[]>((resolve, reject) => {
        const req = request(
          `${d.url}/api/v1/users`,
          { method: "POST", headers: { "x-request-id": "trace-42", "cv-api-key": d.apiKey, "content-type": "application/json" } },
          (res) => {
            res.resume();
            res.on("end", () => resolve(res.rawHeaders));
          },
        );
        req.on("error", reject);
        req.end(JSON.stringify({ action: "UPDATE_PROFILE", data: { email: d.target.accounts.updatableUser.email } }));
      });
      const at = raw.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === "x-request-id");
      if (requestIdHeader === "none") expect(at).toBe(-1);
      else expect([raw[at], raw[at + 1]]).toEqual([requestIdHeader, "trace-42"]);
    }
  });

  test("rateLimitEvery: every Nth request is a 429 with Retry-After, never two in a row", async () => {
    const d = await start({ knobs: calm({ rateLimitEvery: 4, retryAfterSeconds: 1 }) });
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) {
      const response = await fetch(`${d.url}/api/v1/users`, {
        method: "POST",
        headers: { "cv-api-key": d.apiKey, "content-type": "application/json" },
        body: JSON.stringify({ action: "UPDATE_PROFILE", data: { email: d.target.accounts.updatableUser.email } }),
      });
      statuses.push(response.status);
      if (response.status === 429) expect(response.headers.get("retry-after")).toBe("1");
      await response.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 200, 429, 200, 200, 200, 429, 200]);
    expect(d.requestCount()).toBe(9);
  });

  test("the deployment's surface: keys, target, profiles of every organization, close", async () => {
    const d = await start({ knobs: calm() });
    expect(d.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(d.apiKey).not.toBe(d.otherApiKey);
    expect(Object.keys(d.profiles())).toEqual(
      expect.arrayContaining([d.target.accounts.updatableUser.email, d.target.accounts.otherOrganizationUser.email]),
    );
    expect(
      (await updateProfile(d, { email: d.target.accounts.otherOrganizationUser.email }, { key: d.otherApiKey })).body.data.user.phoneNumber,
    ).toBe(d.target.accounts.otherOrganizationUser.phoneNumber);
    expect(d.requestCount()).toBe(1);
    await d.close();
    await expect(fetch(`${d.url}/api/v1/users`)).rejects.toThrow();
  });
});
