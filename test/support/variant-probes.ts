// The vendor page's documented rules, probed over plain HTTP on one deployment. Each failure names the rule the
// observed answer breaks (a success probe refused with the lock message breaks the lock, not the success envelope).
import { isDeepStrictEqual } from "node:util";
import { call, isJsonLabel, updateProfile, type CallOptions, type Reply } from "./variant-client.js";
import type { RuleId, VariantDeployment } from "./variants/index.js";

export interface Failure {
  probe: string;
  rule: RuleId;
  reason: string;
}

const DOCUMENTED = {
  userMissing: (email: string) => `User ${email} does not exist`,
  notInOrganization: (email: string) => `User ${email} does not exist in the organization`,
  notAllowed: () => "Not allowed to update the profile",
  locked: () => "Cannot update user profile fields (firstName, lastName, dob, gender) for user with cases",
  phoneTaken: () => "Unable to use this phone number. Please use a different one",
} as const;
type Documented = keyof typeof DOCUMENTED;
const RULE_OF: Record<Documented, RuleId> = {
  userMissing: "userExists",
  notInOrganization: "organization",
  notAllowed: "role",
  locked: "lock",
  phoneTaken: "phone",
};

type Profiles = Record<string, Record<string, unknown>>;

class Prober {
  readonly failures: Failure[] = [];
  probe = "";
  constructor(readonly d: VariantDeployment) {}

  fail(rule: RuleId, reason: string): void {
    this.failures.push({ probe: this.probe, rule, reason });
  }
  update(data: Record<string, unknown>, o: CallOptions = {}): Promise<Reply> {
    return updateProfile(this.d, data, o);
  }
  async profiles(): Promise<Profiles> {
    await this.d.settled();
    return this.d.profiles();
  }
  async profileOf(email: string): Promise<Record<string, unknown>> {
    return (await this.profiles())[email] ?? {};
  }
  /** Which documented failure this answer is, if it is one in the page's envelope. */
  documentedIn(reply: Reply, email: string): Documented | undefined {
    const message = reply.body?.message;
    if (typeof message !== "string") return undefined;
    const forms = [email, email.trim().toLowerCase()];
    return (Object.keys(DOCUMENTED) as Documented[]).find((f) => forms.some((form) => DOCUMENTED[f](form) === message));
  }
  /** A refusal of bad input: a 4xx with a JSON body (its status, envelope and words are the deployment's own). */
  refused(reply: Reply, rule: RuleId, what: string): boolean {
    if (reply.status >= 500) this.fail("noCrash", `${what}: answered ${reply.status}`);
    else if (reply.status < 400) this.fail(rule, `${what}: answered ${reply.status}, not a refusal`);
    else if (reply.body === undefined || typeof reply.body !== "object") this.fail("noCrash", `${what}: ${reply.status} without a JSON body`);
    else return true;
    return false;
  }
  /** The page's 400 {status, success:false, message} with the documented words. */
  documented(reply: Reply, failure: Documented, email: string, what: string): void {
    const rule = RULE_OF[failure];
    const seen = this.documentedIn(reply, email);
    if (reply.status < 400 || reply.status >= 500 || seen === undefined) {
      if (seen && seen !== failure) return this.fail(RULE_OF[seen], `${what}: answered "${reply.body?.message}" instead`);
      return this.fail(rule, `${what}: expected 400 "${DOCUMENTED[failure](email)}", got ${reply.status} ${reply.text.slice(0, 160)}`);
    }
    if (seen !== failure) return this.fail(RULE_OF[seen], `${what}: answered "${reply.body.message}" instead of the ${failure} failure`);
    const b = reply.body as Record<string, unknown>;
    const extra = Object.keys(b).filter((key) => !["status", "success", "message", "code"].includes(key));
    if (reply.status !== 400 || b.status !== 400 || b.success !== false || extra.length > 0 || !isJsonLabel(reply)) {
      this.fail(rule, `${what}: not the page's 400 envelope (${reply.status}, ${reply.headers.get("content-type")}, ${reply.text.slice(0, 160)})`);
    }
  }
  async unchanged(before: Profiles, rule: RuleId, what: string): Promise<void> {
    const after = await this.profiles();
    for (const email of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (!isDeepStrictEqual(before[email], after[email]))
        return this.fail(rule, `${what}: ${email} changed: ${JSON.stringify(before[email])} -> ${JSON.stringify(after[email])}`);
    }
  }
}

const differentFrom = (current: unknown, a: string, b: string) => (current === a ? b : a);
const otherFormat = (e164: string) => `+1 ${e164.slice(2, 5)}-${e164.slice(5, 8)}-${e164.slice(8)}`;

type Probe = { id: string; rule: RuleId; run: (p: Prober) => Promise<void> };

/** A refused request (by a documented rule or as bad input) that must change nothing. */
const refusedProbe = (id: string, rule: RuleId, request: (p: Prober) => Promise<Reply>): Probe => ({
  id,
  rule,
  run: async (p) => {
    const before = await p.profiles();
    const reply = await request(p);
    p.refused(reply, rule, id);
    await p.unchanged(before, rule, id);
  },
});

const documentedProbe = (
  id: string,
  failure: Documented,
  email: (p: Prober) => string,
  data: (p: Prober) => Promise<Record<string, unknown>>,
  o: (p: Prober) => CallOptions = () => ({}),
): Probe => ({
  id,
  rule: RULE_OF[failure],
  run: async (p) => {
    const before = await p.profiles();
    const reply = await p.update({ email: email(p), ...(await data(p)) }, o(p));
    p.documented(reply, failure, email(p), id);
    await p.unchanged(before, RULE_OF[failure], id);
  },
});

const accounts = (p: Prober) => p.d.target.accounts;
const cityChange = async (p: Prober, email: string) => ({ city: differentFrom((await p.profileOf(email)).city, "Probeville", "Testburg") });

export const PROBES: Probe[] = [
  refusedProbe("missing-key", "key", async (p) => p.update({ email: accounts(p).updatableUser.email, city: "Keyless" }, { key: null })),
  refusedProbe("empty-key", "key", async (p) => p.update({ email: accounts(p).updatableUser.email, city: "Keyless" }, { key: "" })),
  refusedProbe("unknown-key", "key", async (p) =>
    p.update({ email: accounts(p).updatableUser.email, city: "Keyless" }, { key: "cvk_not_a_real_key" }),
  ),
  refusedProbe("text-plain-body", "contentType", async (p) =>
    p.update({ email: accounts(p).updatableUser.email, city: "Plaintext" }, { contentType: "text/plain" }),
  ),
  refusedProbe("no-content-type", "contentType", async (p) =>
    p.update({ email: accounts(p).updatableUser.email, city: "Plaintext" }, { contentType: null }),
  ),
  refusedProbe("other-action", "action", async (p) =>
    call(p.d, { body: { action: "DELETE_PROFILE", data: { email: accounts(p).updatableUser.email, city: "Actionville" } } }),
  ),
  refusedProbe("missing-action", "action", async (p) =>
    call(p.d, { body: { data: { email: accounts(p).updatableUser.email, city: "Actionville" } } }),
  ),
  {
    id: "bad-formats",
    rule: "formats",
    run: async (p) => {
      const email = accounts(p).updatableUser.email;
      const bad: Record<string, unknown>[] = [
        { state: "NYC" },
        { country: "USA" },
        { postalCode: "12a45" },
        { dob: "10/01/1995" },
        { dob: "1995-13-01" },
        { firstName: 42 },
        { city: true },
      ];
      for (const field of bad) {
        const before = await p.profiles();
        const what = `bad-formats ${JSON.stringify(field)}`;
        p.refused(
          await p.update({ email, address: differentFrom(before[email]?.address, "9 Atomic Way", "10 Atomic Way"), ...field }),
          "formats",
          what,
        );
        await p.unchanged(before, "formats", what);
      }
    },
  },
  documentedProbe(
    "unknown-user",
    "userMissing",
    (p) => p.d.target.unknownEmail,
    async () => ({ city: "Nowhere" }),
  ),
  documentedProbe(
    "other-organization-user",
    "notInOrganization",
    (p) => accounts(p).otherOrganizationUser.email,
    (p) => cityChange(p, accounts(p).otherOrganizationUser.email),
  ),
  documentedProbe(
    "main-user-with-other-key",
    "notInOrganization",
    (p) => accounts(p).updatableUser.email,
    (p) => cityChange(p, accounts(p).updatableUser.email),
    (p) => ({ key: p.d.otherApiKey }),
  ),
  documentedProbe(
    "staff-user",
    "notAllowed",
    (p) => accounts(p).staffUser.email,
    (p) => cityChange(p, accounts(p).staffUser.email),
  ),
  {
    id: "lock-each-field",
    rule: "lock",
    run: async (p) => {
      const email = accounts(p).lockedUser.email;
      const current = await p.profileOf(email);
      const changes: Record<string, string> = {
        firstName: differentFrom(current.firstName, "Quinn", "Rowan"),
        lastName: differentFrom(current.lastName, "Marlowe", "Hale"),
        dob: differentFrom(current.dob, "1980-02-03", "1981-04-05"),
        gender: differentFrom(current.gender, "FEMALE", "MALE"),
      };
      for (const [field, value] of Object.entries(changes)) {
        const before = await p.profiles();
        p.documented(await p.update({ email, [field]: value }), "locked", email, `lock ${field}`);
        await p.unchanged(before, "lock", `lock ${field}`);
      }
    },
  },
  documentedProbe(
    "lock-atomic",
    "locked",
    (p) => accounts(p).lockedUser.email,
    async (p) => {
      const current = await p.profileOf(accounts(p).lockedUser.email);
      return { firstName: differentFrom(current.firstName, "Quinn", "Rowan"), ...(await cityChange(p, accounts(p).lockedUser.email)) };
    },
  ),
  refusedProbe("lock-dob-as-date-time", "lock", async (p) => {
    const email = accounts(p).lockedUser.email;
    return p.update({ email, dob: `${differentFrom((await p.profileOf(email)).dob, "1980-02-03", "1981-04-05")}T00:00:00.000Z` });
  }),
  {
    id: "lock-leaves-other-fields-free",
    rule: "lock",
    run: async (p) => {
      const email = accounts(p).lockedUser.email;
      const current = await p.profileOf(email);
      const sent = { address: differentFrom(current.address, "500 Probe Road", "501 Probe Road"), ...(await cityChange(p, email)) };
      await expectApplied(p, email, sent, "lock", "lock-leaves-other-fields-free");
    },
  },
  {
    id: "open-and-abandoned-cases-do-not-lock",
    rule: "lock",
    run: async (p) => {
      const email = accounts(p).unlockedCaseUser.email;
      const current = await p.profileOf(email);
      await expectApplied(
        p,
        email,
        { firstName: differentFrom(current.firstName, "Quinn", "Rowan"), gender: differentFrom(current.gender, "FEMALE", "MALE") },
        "lock",
        "open-and-abandoned-cases-do-not-lock",
      );
    },
  },
  documentedProbe(
    "phone-of-another-user",
    "phoneTaken",
    (p) => accounts(p).updatableUser.email,
    async (p) => ({ phoneNumber: accounts(p).phoneOwner.phoneNumber, ...(await cityChange(p, accounts(p).updatableUser.email)) }),
  ),
  documentedProbe(
    "phone-of-another-organization-user",
    "phoneTaken",
    (p) => accounts(p).updatableUser.email,
    async (p) => ({ phoneNumber: accounts(p).otherOrganizationUser.phoneNumber }),
  ),
  refusedProbe("phone-of-another-user-other-format", "phone", async (p) =>
    p.update({ email: accounts(p).updatableUser.email, phoneNumber: otherFormat(accounts(p).phoneOwner.phoneNumber) }),
  ),
  {
    id: "own-phone-number",
    rule: "phone",
    run: async (p) => {
      const email = accounts(p).updatableUser.email;
      await expectApplied(p, email, { phoneNumber: p.d.target.freePhoneNumber }, "phone", "free number");
      await expectApplied(p, email, { phoneNumber: p.d.target.freePhoneNumber }, "phone", "own number sent again");
    },
  },
  {
    id: "success-envelope",
    rule: "success",
    run: async (p) => {
      const email = accounts(p).updatableUser.email;
      const sent = {
        firstName: "Ada",
        lastName: "Lovelace",
        dob: "1990-05-15",
        gender: "FEMALE",
        address: "12 Elm Street",
        address2: "Unit 3",
        city: "Springfield",
        state: "CA",
        country: "US",
        postalCode: "94110",
      };
      const reply = await p.update({ email, ...sent });
      if (reply.status !== 200) return failedUpdate(p, reply, email, "success", "success-envelope");
      const b = reply.body;
      if (
        b?.status !== 200 ||
        b.success !== true ||
        b.message !== "Profile updated successfully" ||
        typeof b.data?.user !== "object" ||
        !isJsonLabel(reply)
      ) {
        return p.fail("success", `not the page's success envelope: ${reply.text.slice(0, 200)}`);
      }
      const user = b.data.user as Record<string, unknown>;
      const answered: Record<string, unknown> = { ...user, dob: typeof user.dob === "string" ? user.dob.slice(0, 10) : user.dob };
      for (const [field, value] of Object.entries(sent))
        if (answered[field] !== value) p.fail("success", `the 200 says ${field}=${JSON.stringify(answered[field])}, sent ${value}`);
      if (user.email !== email) p.fail("success", `the 200 says email=${JSON.stringify(user.email)}`);
      const stored = await p.profileOf(email);
      for (const [field, value] of Object.entries(sent))
        if (stored[field] !== value) p.fail("success", `stored ${field}=${JSON.stringify(stored[field])}, sent ${value}`);
    },
  },
  {
    id: "partial-update",
    rule: "partial",
    run: async (p) => {
      const email = accounts(p).updatableUser.email;
      const before = await p.profiles();
      const city = differentFrom(before[email]?.city, "Shelbyville", "Ogdenville");
      const reply = await p.update({ email, city });
      if (reply.status !== 200) return failedUpdate(p, reply, email, "partial", "partial-update");
      const after = await p.profiles();
      const expected = { ...before, [email]: { ...before[email], city } };
      for (const who of Object.keys(expected))
        if (!isDeepStrictEqual(expected[who], after[who]))
          p.fail("partial", `city-only update: ${who} is ${JSON.stringify(after[who])}, was ${JSON.stringify(before[who])}`);
    },
  },
  {
    id: "email-only-changes-nothing",
    rule: "partial",
    run: async (p) => {
      const email = accounts(p).updatableUser.email;
      const before = await p.profiles();
      const reply = await p.update({ email });
      if (reply.status !== 200) return failedUpdate(p, reply, email, "partial", "email-only update");
      await p.unchanged(before, "partial", "email-only update");
    },
  },
  refusedProbe("malformed-json", "noCrash", (p) => call(p.d, { body: '{"action":"UPDATE_PROFILE","data":{' })),
  refusedProbe("bare-null-body", "noCrash", (p) => call(p.d, { body: "null" })),
  {
    id: "null-for-null-fields",
    rule: "noCrash",
    run: async (p) => {
      const email = accounts(p).updatableUser.email;
      const alreadyNull = Object.entries(await p.profileOf(email))
        .filter(([, v]) => v === null)
        .map(([f]) => f);
      for (const field of ["address2", "address2", ...alreadyNull]) {
        const reply = await p.update({ email, [field]: null });
        if (reply.status >= 500 || reply.body === undefined) p.fail("noCrash", `null for ${field}: ${reply.status} ${reply.text.slice(0, 120)}`);
      }
    },
  },
  {
    id: "long-values",
    rule: "noCrash",
    run: async (p) => {
      const email = accounts(p).updatableUser.email;
      for (const data of [{ address: "9".repeat(5000) }, { firstName: "A".repeat(300) }]) {
        const reply = await p.update({ email, ...data });
        if (reply.status >= 500 || reply.body === undefined)
          p.fail("noCrash", `a ${Object.values(data)[0]?.length}-character ${Object.keys(data)[0]}: ${reply.status} ${reply.text.slice(0, 120)}`);
      }
    },
  },
];

/** A non-200 to an update that should succeed: blamed on the rule its documented message names, else on `rule`. */
function failedUpdate(p: Prober, reply: Reply, email: string, rule: RuleId, what: string): void {
  const seen = p.documentedIn(reply, email);
  const blamed = seen ? RULE_OF[seen] : reply.status >= 500 ? "noCrash" : reply.status < 300 ? "success" : rule;
  p.fail(blamed, `${what}: answered ${reply.status} ${reply.text.slice(0, 160)}`);
}

async function expectApplied(p: Prober, email: string, sent: Record<string, unknown>, rule: RuleId, what: string): Promise<void> {
  const reply = await p.update({ email, ...sent });
  if (reply.status !== 200) return failedUpdate(p, reply, email, rule, what);
  const stored = await p.profileOf(email);
  for (const [field, value] of Object.entries(sent))
    if (stored[field] !== value) p.fail(rule, `${what}: stored ${field}=${JSON.stringify(stored[field])}, sent ${JSON.stringify(value)}`);
}

/** Runs every probe in order on one deployment; the failures say which rule each observation breaks. */
export async function probeDocumentedRules(d: VariantDeployment): Promise<Failure[]> {
  const p = new Prober(d);
  for (const probe of PROBES) {
    p.probe = probe.id;
    await probe.run(p);
  }
  return p.failures;
}
