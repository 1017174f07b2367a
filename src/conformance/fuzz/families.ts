/**
 * @module conformance/fuzz/families
 * The generated requests, in families: each breaks one rule of the request schema (negative), or is a valid
 * partial update, or probes a documented rule (the lock, phone numbers), or is junk. Each family has the tier of
 * its oracle: documented where the vendor page states the rule, inferred where openapi.yaml infers it.
 * Only fields that can be put back are ever sent: a field empty on the target is never written.
 */
import fc from "fast-check";
import type { Contract } from "../../contract/contract.js";
import type { Tier } from "../../contract/load-spec.js";
import type { CheckId } from "../checks/registry.js";
import { sameStored } from "../checks/normal-form.js";
import { asDateTime } from "../new-values.js";
import type { Profile } from "../read-profile.js";
import type { Expectation } from "../scenario.js";
import { canWriteBack } from "../write-back.js";
import { fieldRules, impossibleDate, notAString, patternBreaker, validValue, type FieldRules } from "./field-values.js";

/** A generated request: an update's data, or a whole JSON body, or raw text. */
export interface FuzzInput {
  data?: Record<string, unknown>;
  body?: unknown;
  raw?: string;
}

export type FuzzKind = "negative" | "junk" | "valid" | "lock" | "phone";

export interface FuzzFamily {
  id: string;
  title: string;
  tier: Tier;
  source: string;
  tags: string[];
  kind: FuzzKind;
  /** The account of the target file its requests go to. */
  account: string;
  /** Its share of the requests. */
  weight: number;
  arbitrary: fc.Arbitrary<FuzzInput>;
  /** What a request of the family is judged by: its expectation, and the checks that carry its oracle. */
  expect: (input: FuzzInput, status: number) => Expectation;
  judges: readonly CheckId[];
  /**
   * What makes a request a probe of its rule (a locked field with a new value): generation keeps it, and shrinking
   * never drops it, so a smaller request that fails is still a request the rule speaks of.
   */
  precondition?: (input: FuzzInput) => boolean;
}

/** The oracle of each kind: the expectation a request gets and the checks that judge it (the general rules always). */
const ORACLES = {
  negative: { expect: (): Expectation => ({ refused: true, unchanged: true }), judges: ["refused", "nothing_changed", "api_key_not_echoed"] },
  junk: {
    // Junk that is still a JSON object may be read as an update of no field: only its answer and the data are judged.
    expect: (input: FuzzInput): Expectation => ({ refused: input.raw !== undefined && !input.raw.startsWith("{"), unchanged: true }),
    judges: ["refused", "nothing_changed", "api_key_not_echoed"],
  },
  valid: {
    // Applied: it shows what it sent and nothing else moved. Refused (a stricter rule of the service's own): then it must have changed nothing.
    expect: (_: FuzzInput, status: number): Expectation =>
      status >= 200 && status < 300 ? { applied: true, showsUpdate: true, othersUnchanged: true } : { applied: true, unchanged: true },
    judges: [
      "valid_update_accepted",
      "success_envelope",
      "update_applied",
      "update_kept",
      "fields_not_sent_unchanged",
      "nothing_changed",
      "api_key_not_echoed",
    ],
  },
  lock: {
    expect: (): Expectation => ({ refused: true, unchanged: true, probeMessage: "demographicFieldsLocked" }),
    judges: ["refused", "nothing_changed", "probe_message", "api_key_not_echoed"],
  },
  phone: {
    expect: (): Expectation => ({ refused: true, unchanged: true, probeMessage: "phoneNumberInUse" }),
    judges: ["refused", "nothing_changed", "probe_message", "api_key_not_echoed"],
  },
} as const satisfies Record<FuzzKind, { expect: (input: FuzzInput, status: number) => Expectation; judges: readonly CheckId[] }>;

/** The parts of a family its kind decides. */
const oracleOf = (kind: FuzzKind) => ({ kind, expect: ORACLES[kind].expect, judges: ORACLES[kind].judges });

/**
 * A negative request stays one while it is shrunk: openapi.yaml still refuses it with its text trimmed (a service may
 * trim what it is sent, so " 5" is the postal code 5 to it, and a "5" left of "5-" is a postal code to anyone).
 */
const trimmed = (data: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(data).map(([k, v]) => [k, typeof v === "string" ? v.trim() : v]));
const stillRefused = (contract: Contract) => (input: FuzzInput) =>
  input.raw !== undefined ||
  contract.validateUpdateRequest(input.data ? { action: "UPDATE_PROFILE", data: trimmed(input.data) } : input.body).length > 0;

export interface FamilyContext {
  contract: Contract;
  /** Profiles read before fuzzing, by account name. */
  snapshots: Readonly<Record<string, Profile>>;
  emails: Readonly<Record<string, string>>;
  freePhoneNumber?: string;
}

/** Every family there is; which run depends on the target's accounts. */
export const FUZZ_FAMILY_IDS = [
  "fuzz-wrong-type",
  "fuzz-two-letter-codes",
  "fuzz-postal-code-digits",
  "fuzz-dob-shape",
  "fuzz-empty-string",
  "fuzz-too-long",
  "fuzz-pattern",
  "fuzz-dob-impossible",
  "fuzz-enum-case",
  "fuzz-enum-unknown",
  "fuzz-body-shape",
  "fuzz-email",
  "fuzz-junk",
  "fuzz-valid-partial-update",
  "fuzz-lock-probe",
  "fuzz-phone-probe",
] as const;
export const FUZZ_TAGS = ["fuzz", "fuzz-negative", "fuzz-junk", "fuzz-valid", "fuzz-probe"] as const;

export function fuzzFamilies(ctx: FamilyContext): FuzzFamily[] {
  const { contract, snapshots, emails } = ctx;
  const families: FuzzFamily[] = [];
  const rules = fieldRules(contract);
  const writable = (account: string) => rules.filter((f) => snapshots[account] && canWriteBack(contract, f.name, snapshots[account][f.name]));
  const updatable = emails.updatableUser && snapshots.updatableUser ? writable("updatableUser") : [];

  const negative = (
    id: string,
    tier: Tier,
    title: string,
    source: string,
    fields: readonly FieldRules[],
    value: (f: FieldRules) => fc.Arbitrary<unknown>,
  ) => {
    if (fields.length === 0) return;
    // One arbitrary per field, built once (a pattern's generator is costly to build).
    const arbitrary = fc
      .oneof(...fields.map((f) => value(f).map((v): FuzzInput => ({ data: { email: emails.updatableUser, [f.name]: v } }))))
      .filter(stillRefused(contract));
    families.push({
      id: `fuzz-${id}`,
      title,
      tier,
      source,
      tags: ["fuzz", "fuzz-negative"],
      ...oracleOf("negative"),
      precondition: stillRefused(contract),
      account: "updatableUser",
      weight: 1,
      arbitrary,
    });
  };
  const withKeyword = (keyword: keyof FieldRules["schema"]) => updatable.filter((f) => f.schema[keyword] !== undefined);
  const named = (...names: string[]) => updatable.filter((f) => names.includes(f.name));

  if (updatable.length > 0) {
    negative(
      "wrong-type",
      "documented",
      "A field that is not a string is refused, and nothing changes",
      'Data table: every field is of type "string".',
      updatable,
      () => notAString,
    );
    negative(
      "two-letter-codes",
      "documented",
      "A state or country longer than two letters is refused",
      'Data table: state and country "in 2-character abbreviation format".',
      named("state", "country"),
      () => fc.stringMatching(/^[A-Z]{3,5}$/),
    );
    negative(
      "postal-code-digits",
      "documented",
      "A postal code with something other than digits is refused",
      'Data table: postalCode "(must contain only digits)".',
      named("postalCode"),
      () =>
        fc
          .tuple(fc.stringMatching(/^[0-9]{1,5}$/), fc.constantFrom("A", "-", " ", "x", "."), fc.stringMatching(/^[0-9]{1,4}$/))
          .map((parts) => parts.join(""))
          // ZIP+4 (12345-6789) is left out: the vendor's other pages give it as valid (erratum E11), so a service may take it.
          .filter((code) => !/^\d{5}-\d{4}$/.test(code)),
    );
    negative(
      "dob-shape",
      "documented",
      "A date of birth not written YYYY-MM-DD is refused",
      'Data table: dob "in YYYY-MM-DD format".',
      named("dob"),
      () =>
        fc
          .tuple(
            fc.date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2020-12-31T00:00:00Z"), noInvalidDate: true }),
            fc.constantFrom("DD-MM-YYYY", "YYYY/MM/DD", "YYYYMMDD", "MM/DD/YYYY"),
          )
          .map(([d, shape]) => {
            const [y, m, day] = d.toISOString().slice(0, 10).split("-") as [string, string, string];
            return shape.replace("YYYY", y).replace("MM", m).replace("DD", day);
          }),
    );
    negative(
      "empty-string",
      "inferred",
      "An empty string is refused where the contract sets a minimum length",
      "openapi.yaml infers a minimum length of 1 (the page gives none).",
      withKeyword("minLength"),
      () => fc.constant(""),
    );
    negative(
      "too-long",
      "inferred",
      "A value longer than the contract allows is refused",
      "openapi.yaml infers length limits (the page gives none).",
      withKeyword("maxLength"),
      (f) => fc.string({ minLength: f.schema.maxLength! + 1, maxLength: f.schema.maxLength! + 300, unit: "grapheme-ascii" }),
    );
    negative(
      "pattern",
      "inferred",
      "A value the field's pattern refuses is refused",
      "openapi.yaml infers upper-case codes, at most 10 digits and E.164 phone numbers.",
      withKeyword("pattern"),
      (f) => patternBreaker(f.schema.pattern!),
    );
    negative(
      "dob-impossible",
      "inferred",
      'A date of birth that does not exist ("1995-02-30") is refused',
      "openapi.yaml infers that dob must be a real calendar date.",
      named("dob"),
      () => impossibleDate,
    );
    negative(
      "enum-case",
      "inferred",
      "A gender in the wrong case is refused",
      'Data table: gender "(e.g., MALE, FEMALE, OTHER)"; case-sensitive is inferred (erratum E7).',
      withKeyword("enum"),
      (f) => fc.constantFrom(...(f.schema.enum ?? []).flatMap((v) => [v.toLowerCase(), v[0] + v.slice(1).toLowerCase()])),
    );
    negative(
      "enum-unknown",
      "inferred",
      "A gender outside MALE, FEMALE, OTHER is refused",
      "Erratum E7: the list is taken as the whole enum.",
      withKeyword("enum"),
      (f) => fc.stringMatching(/^[A-Z]{2,12}$/).filter((v) => !(f.schema.enum ?? []).includes(v)),
    );
  }
  if (emails.updatableUser) {
    const email = emails.updatableUser;
    families.push({
      id: "fuzz-body-shape",
      title: "A body that is not {action: UPDATE_PROFILE, data: {…}} is refused",
      tier: "documented",
      source: '"The request body is a JSON object with two top-level fields: action and data." action "should always be UPDATE_PROFILE".',
      tags: ["fuzz", "fuzz-negative"],
      ...oracleOf("negative"),
      precondition: stillRefused(contract),
      account: "updatableUser",
      weight: 1,
      arbitrary: fc.oneof(
        fc
          .string({ maxLength: 20 })
          .filter((a) => a !== "UPDATE_PROFILE")
          .map((action): FuzzInput => ({ body: { action, data: { email } } })),
        fc.constant<FuzzInput>({ body: { action: "UPDATE_PROFILE" } }),
        fc
          .oneof(fc.constant(email), fc.constant([email]), fc.integer(), fc.constant(null))
          .map((data): FuzzInput => ({ body: { action: "UPDATE_PROFILE", data } })),
        fc.oneof(fc.constant([]), fc.constant(null), fc.integer(), fc.constant(email)).map((body): FuzzInput => ({ body })),
      ),
    });
    const some = updatable.find((f) => f.name === "city") ?? updatable[0];
    if (some) {
      families.push({
        id: "fuzz-email",
        title: "An email that is not an email address is refused",
        tier: "inferred",
        source: 'Data table: email "Required. The user\'s email address."',
        tags: ["fuzz", "fuzz-negative"],
        ...oracleOf("negative"),
        precondition: stillRefused(contract),
        account: "updatableUser",
        weight: 1,
        // Not " email": a service may trim what it is sent, and that is its address.
        arbitrary: fc
          .oneof(
            fc.string({ maxLength: 30 }).filter((s) => !s.includes("@")),
            fc.constant(email.replace("@", "@@")),
          )
          .chain((bad) => validValue(some)!.map((v): FuzzInput => ({ data: { email: bad, [some.name]: v } })))
          .filter(stillRefused(contract)),
      });
    }
    families.push({
      id: "fuzz-junk",
      title: "Junk (bytes, deep nesting, huge strings) never gets a 5xx and changes nothing",
      tier: "inferred",
      source: "The page documents no answer to a broken body; the answer must still be the envelope, never a server error.",
      tags: ["fuzz", "fuzz-junk"],
      ...oracleOf("junk"),
      account: "updatableUser",
      weight: 1,
      arbitrary: fc.oneof(
        fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes): FuzzInput => ({ raw: Buffer.from(bytes).toString("latin1") })),
        fc.integer({ min: 100, max: 5000 }).map((depth): FuzzInput => ({
          raw: `{"action":"UPDATE_PROFILE","data":{"email":${JSON.stringify(email)},"x":${"[".repeat(depth)}${"]".repeat(depth)}}}`,
        })),
        fc.integer({ min: 20_000, max: 90_000 }).map((n): FuzzInput => ({ data: { email, cvFuzzProbe: "y".repeat(n) } })),
      ),
    });
  }

  const validFields = updatable.filter((f) => validValue(f) !== undefined);
  if (validFields.length > 0) {
    const phone = [ctx.freePhoneNumber, snapshots.updatableUser?.phoneNumber].filter((p): p is string => typeof p === "string");
    families.push({
      id: "fuzz-valid-partial-update",
      title: "A valid partial update is applied, and leaves every other field as it was",
      tier: "documented",
      source:
        '"A successful request returns a 200 status code and a JSON object containing the updated user details." Only email is Required, so fields left out stay as they were.',
      tags: ["fuzz", "fuzz-valid"],
      ...oracleOf("valid"),
      account: "updatableUser",
      weight: 5,
      arbitrary: partialUpdate(emails.updatableUser!, validFields, phone.length > 0 && updatable.some((f) => f.name === "phoneNumber") ? phone : []),
    });
  }

  const locked = emails.lockedUser && snapshots.lockedUser ? writable("lockedUser").filter((f) => validValue(f) !== undefined) : [];
  const lockedFields = locked.filter((f) => contract.lockedFields.includes(f.name));
  if (lockedFields.length > 0) {
    const before = snapshots.lockedUser!;
    /** A locked field with a value the account does not hold: presence and change alike fire the lock. */
    const probes = (input: FuzzInput) =>
      lockedFields.some((f) => Object.hasOwn(input.data ?? {}, f.name) && !sameStored(f.name, before[f.name], input.data![f.name]));
    families.push({
      id: "fuzz-lock-probe",
      title: "Any update that includes a locked field of a locked user is refused, and nothing changes",
      tier: "documented",
      source:
        '"Once a case is assigned, the following fields are locked: firstName, lastName, dob, and gender." and the failure "Cannot update user profile fields (firstName, lastName, dob, gender) for user with cases".',
      tags: ["fuzz", "fuzz-probe", "lock"],
      ...oracleOf("lock"),
      account: "lockedUser",
      weight: 2,
      arbitrary: fc
        .tuple(
          partialUpdate(emails.lockedUser!, lockedFields, [], 1),
          partialUpdate(
            emails.lockedUser!,
            locked.filter((f) => !lockedFields.includes(f)),
            [],
            0,
          ),
          fc.boolean(),
        )
        // A dob also as the date-time the API itself answers: a lock that only knows YYYY-MM-DD lets it through.
        .map(([a, b, dateTime]): FuzzInput => ({
          data: { ...b.data, ...a.data, ...(dateTime && typeof a.data?.dob === "string" ? { dob: asDateTime(a.data.dob) } : {}) },
        }))
        .filter(probes),
      precondition: probes,
    });
  }

  const otherPhones = Object.entries(snapshots)
    .filter(([name, p]) => name !== "updatableUser" && typeof p.phoneNumber === "string")
    .map(([, p]) => p.phoneNumber as string)
    .filter((p) => p !== snapshots.updatableUser?.phoneNumber);
  if (emails.updatableUser && otherPhones.length > 0 && updatable.some((f) => f.name === "phoneNumber")) {
    families.push({
      id: "fuzz-phone-probe",
      title: "Another user's phone number is refused with the phone message, and nothing changes",
      tier: "documented",
      source: '"If the new phoneNumber provided is already associated with a different user, the API will return this error."',
      tags: ["fuzz", "fuzz-probe", "phone"],
      ...oracleOf("phone"),
      precondition: (input: FuzzInput) => typeof input.data?.phoneNumber === "string",
      account: "updatableUser",
      weight: 1,
      arbitrary: fc.constantFrom(...new Set(otherPhones)).map((phoneNumber): FuzzInput => ({ data: { email: emails.updatableUser, phoneNumber } })),
    });
  }
  return families;
}

/** A random subset of the fields (at least `minLength`), each with a valid value (phone numbers only from the given ones). */
function partialUpdate(email: string, fields: readonly FieldRules[], phones: readonly string[], minLength = 1): fc.Arbitrary<FuzzInput> {
  const values = Object.fromEntries(
    fields.flatMap((f) => {
      const arbitrary = f.name === "phoneNumber" ? (phones.length > 0 ? fc.constantFrom(...phones) : undefined) : validValue(f);
      return arbitrary ? [[f.name, arbitrary]] : [];
    }),
  ) as Record<string, fc.Arbitrary<unknown>>;
  // Every key optional: shrinking drops fields one by one and shrinks the values that remain.
  return fc
    .record(values, { requiredKeys: [] })
    .filter((data) => Object.keys(data).length >= minLength)
    .map((data): FuzzInput => ({ data: { email, ...data } }));
}
