// Planted breaks: each one breaks ONE documented rule, the way real bugs do, and leaves every knob as drawn.
import type { Knobs } from "./knobs.js";
import type { RuleId } from "./rules.js";

interface BreakSpec {
  rule: RuleId;
  /** What the bug is, in one line. */
  bug: string;
  /** The bug can only exist in a service that made these choices (applied over the drawn knobs). */
  needs?: (k: Knobs) => Partial<Knobs>;
}

const withoutEmpty = (k: Knobs, field: "address" | "address2"): Partial<Knobs> => ({
  accounts: {
    ...k.accounts,
    emptyFields: { ...k.accounts.emptyFields, updatableUser: k.accounts.emptyFields.updatableUser.filter((f) => f !== field) },
  },
});

const SPECS = {
  "role-check-missing": { rule: "role", bug: "staff users are updated like USERs: the role check was never written" },
  "staff-refused-but-applied": { rule: "role", bug: "the role check runs after the write: the refusal is answered, the update applied" },
  "other-organization-updated": { rule: "organization", bug: "the user is looked up by email alone: another organization's user is updated" },
  "other-organization-refused-but-applied": {
    rule: "organization",
    bug: "the organization check runs after the write: the refusal is answered, the update applied",
  },
  "gender-not-locked": { rule: "lock", bug: "the locked-field list lacks gender" },
  "lock-not-atomic": { rule: "lock", bug: "unlocked fields are written before the lock refuses the locked ones" },
  "lock-bypassed-by-datetime-dob": {
    rule: "lock",
    bug: "a compatibility shim accepts dob as a date-time (stored as its date), and the lock's guard only recognises YYYY-MM-DD",
  },
  "open-case-locks": { rule: "lock", bug: "any case locks, OPEN ones too" },
  "abandoned-case-locks": { rule: "lock", bug: "every status but OPEN locks, ABANDONED too" },
  "lock-misses-a-status": { rule: "lock", bug: "the locking-status list forgot one status (the locked account's)" },
  "lock-covers-address": {
    rule: "lock",
    bug: "address is locked with the identity fields",
    // Seen only where the locked account holds an address a client may change.
    needs: (k) => ({
      accounts: {
        ...k.accounts,
        emptyFields: { ...k.accounts.emptyFields, lockedUser: k.accounts.emptyFields.lockedUser.filter((f) => f !== "address") },
      },
    }),
  },
  "phone-not-unique": { rule: "phone", bug: "no uniqueness check on phoneNumber" },
  "phone-unique-per-organization": { rule: "phone", bug: "phoneNumber is unique only within the organization" },
  "phone-compared-raw": {
    rule: "phone",
    bug: "uniqueness compares the text as sent while numbers are stored in E.164",
    needs: () => ({ phoneFormat: "normalise" }),
  },
  "own-phone-refused": { rule: "phone", bug: "the user's own number counts as taken" },
  "phone-conflict-not-atomic": { rule: "phone", bug: "the other fields are written before the phone number's unique index refuses it" },
  "clears-unsent-fields": { rule: "partial", bug: "the update replaces the profile (PUT semantics): fields not sent are cleared" },
  "clears-address2": {
    rule: "partial",
    bug: "address2 is written as `data.address2 ?? null`: cleared whenever it is not sent",
    needs: (k) => withoutEmpty(k, "address2"),
  },
  "email-only-clears-address": {
    rule: "partial",
    bug: "an update with no profile field rewrites the address from an empty one",
    needs: (k) => withoutEmpty(k, "address"),
  },
  "update-reaches-whole-organization": {
    rule: "partial",
    bug: "the write filters on the organization only: every user of it gets the sent fields (phone numbers excepted)",
  },
  "null-on-null-crashes": {
    rule: "noCrash",
    bug: "clearing a field that is already null throws (the audit log reads the old value): HTML 500",
    // The bug needs a field that is null to begin with, on an account a client updates: address2 of the updatable one.
    needs: (k) => ({
      ...(k.nulls === "clearAll" || k.nulls === "clearAddress2Only" ? {} : { nulls: "clearAddress2Only" as const }),
      accounts: {
        ...k.accounts,
        emptyFields: { ...k.accounts.emptyFields, updatableUser: [...new Set([...k.accounts.emptyFields.updatableUser, "address2" as const])] },
      },
    }),
  },
  "malformed-json-html-500": { rule: "noCrash", bug: "the error handler loses the parser's status: malformed JSON gets Express's HTML 500" },
  "long-value-500": { rule: "noCrash", bug: "no length check: a text over 255 characters hits the column limit and answers 500" },
  "no-key-accepted": { rule: "key", bug: "a request without a key falls back to the default (main) organization" },
  "unknown-key-accepted": { rule: "key", bug: "an unknown key falls back to the default (main) organization" },
  "user-missing-message-reworded": { rule: "userExists", bug: 'says "User {email} not found"' },
  "lock-message-reworded": {
    rule: "lock",
    bug: 'says "Cannot update user profile fields (firstName, lastName, dob, gender) for users with active cases"',
  },
  "success-message-reworded": { rule: "success", bug: 'says "Profile updated"' },
  "user-missing-404": { rule: "userExists", bug: "the documented unknown-user failure is answered 404 (page envelope, status 404)" },
  "user-missing-500": { rule: "userExists", bug: "the documented unknown-user failure is thrown as a 500 (page envelope, status 500)" },
  "user-missing-text-html": {
    rule: "userExists",
    bug: "the documented unknown-user failure is labelled text/html (res.send of a pre-serialised string)",
  },
  "answers-user-before-update": { rule: "success", bug: "the 200 answers the user as read before the update" },
  "success-201": { rule: "success", bug: "a successful update answers 201" },
  "user-not-nested": { rule: "success", bug: "the 200 puts the user at data, not data.user" },
  "dob-off-by-one-day": { rule: "success", bug: "dob goes through local-time Date (UTC-5): stored and answered one day early" },
  "unknown-email-creates-user": { rule: "userExists", bug: "the update is an upsert: an unknown email creates a user" },
  "state-three-letters-accepted": { rule: "formats", bug: "state allows up to 3 characters" },
  "postal-letters-accepted": { rule: "formats", bug: "postalCode is checked for length only" },
  "dob-any-format-accepted": { rule: "formats", bug: "dob is parsed with new Date(): any date text is accepted and stored" },
  "number-for-string-accepted": { rule: "formats", bug: "text fields are z.coerce.string(): a number is accepted and stored as text" },
  "invalid-field-partly-applied": {
    rule: "formats",
    bug: "fields are validated one by one and the valid ones written before the invalid one is refused",
  },
  "other-action-accepted": { rule: "action", bug: "action is not checked: anything updates the profile" },
  "text-plain-accepted": { rule: "contentType", bug: "express.json({type: () => true}): any Content-Type, or none, is parsed as JSON and applied" },
} as const satisfies Record<string, BreakSpec>;

export type Break = keyof typeof SPECS;
export const BREAKS = Object.keys(SPECS) as readonly Break[];

export const breakRule = (b: Break): RuleId => SPECS[b].rule;
export const breakBug = (b: Break): string => SPECS[b].bug;

/** The knobs a deployment with these breaks runs with: the drawn ones, adjusted where a bug needs a choice to exist. */
export function knobsForBreaks(knobs: Knobs, breaks: readonly Break[]): Knobs {
  let adjusted = knobs;
  for (const b of breaks) {
    const spec: BreakSpec = SPECS[b];
    if (spec.needs) adjusted = { ...adjusted, ...spec.needs(adjusted) };
  }
  return adjusted;
}
