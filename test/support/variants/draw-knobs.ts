// A seed draws one deployment: every knob independently, so every combination of choices can be drawn.
import { LOCKING_STATUSES, STAFF_ROLES } from "./domain.js";
import type { AccountKnobs, AccountName, EmptyableField, Knobs, Refusal, RefusalKind } from "./knobs.js";
import { ACCOUNT_NAMES, EMPTYABLE_FIELDS, ENVELOPES, EXTRAS, REFUSAL_KINDS, REFUSAL_STATUS_CHOICES } from "./knobs.js";
import { seededRandom, type Random } from "./random.js";
import { REFUSAL_WORDS } from "./refusal-words.js";

/** Accounts whose phone number the target file names: they always have one. */
const NUMBERED_ACCOUNTS: readonly AccountName[] = ["phoneOwner", "otherOrganizationUser"];

function drawRefusals(random: Random): Record<RefusalKind, Refusal> {
  // Half the deployments have one error middleware (one envelope for all), half grew one per layer.
  const shared = random.chance(0.5) ? random.pick(ENVELOPES) : null;
  const entries = REFUSAL_KINDS.map((kind): [RefusalKind, Refusal] => [
    kind,
    {
      status: random.pick(REFUSAL_STATUS_CHOICES[kind]),
      envelope: shared ?? random.pick(ENVELOPES),
      message: random.pick(REFUSAL_WORDS[kind].messages),
      code: random.pick(REFUSAL_WORDS[kind].codes),
    },
  ]);
  return Object.fromEntries(entries) as Record<RefusalKind, Refusal>;
}

function drawAccounts(random: Random): AccountKnobs {
  const emptyFields = Object.fromEntries(
    ACCOUNT_NAMES.map((name): [AccountName, EmptyableField[]] => [
      name,
      random.subset(
        EMPTYABLE_FIELDS.filter((field) => field !== "phoneNumber" || !NUMBERED_ACCOUNTS.includes(name)),
        0.25,
      ),
    ]),
  ) as Record<AccountName, EmptyableField[]>;
  return {
    emptyFields,
    legacyStateOn: random.chance(0.5) ? null : random.pick(ACCOUNT_NAMES),
    lockedCaseStatus: random.pick(LOCKING_STATUSES),
    lockedAlsoHasOpenCase: random.chance(0.5),
    updatableCase: random.pick(["none", "OPEN", "ABANDONED"] as const),
    staffRole: random.pick(STAFF_ROLES),
    fillerUsers: random.int(0, 3),
    dataSeed: random.int(0, 2 ** 31 - 1),
  };
}

/** The deployment a seed stands for. Deterministic: the same seed gives the same knobs. */
export function drawKnobs(seed: number): Knobs {
  const random = seededRandom(seed);
  return {
    refusals: drawRefusals(random),
    documentedCodes: random.chance(0.3),
    keyCheckedFirst: random.chance(0.5),
    contentType: random.pick(["refused", "bodyIgnored"] as const),
    jsonStrict: random.chance(0.5),
    bodyLimitKb: random.pick([16, 100, 1024] as const),
    trimText: random.chance(0.5),
    emptyText: random.pick(["refused", "stored", "clears"] as const),
    genderCase: random.pick(["upper", "strict"] as const),
    genderValues: random.pick(["enum", "free"] as const),
    regionCase: random.pick(["upper", "strict", "asSent"] as const),
    emailMatch: random.pick(["caseInsensitive", "exact"] as const),
    emailInMessage: random.pick(["asSent", "normalised"] as const),
    emailFormatChecked: random.chance(0.5),
    phoneFormat: random.pick(["e164Only", "normalise"] as const),
    postalCode: random.pick(["digits", "fiveDigits", "fiveOrZip4"] as const),
    nameMaxLength: random.pick([50, 100, null] as const),
    textMaxLength: random.pick([255, 1000, null] as const),
    dobRange: random.pick(["any", "notFuture", "since1900NotFuture"] as const),
    refusePoBox: random.chance(0.5),
    validationAt: random.pick(["beforeLookup", "afterLookup", "afterAccessChecks", "betweenLockAndPhone", "last"] as const),
    roleBeforeOrg: random.chance(0.5),
    phoneBeforeLock: random.chance(0.5),
    nulls: random.pick(["clearAll", "clearAddress2Only", "refused", "ignored"] as const),
    dobOut: random.pick(["date", "dateTime"] as const),
    extras: random.subset(EXTRAS, 0.4),
    updatedAtEveryCall: random.chance(0.5),
    emptyOut: random.pick(["null", "omitted"] as const),
    unknownKeys: random.pick(["dropped", "refused"] as const),
    lockTrigger: random.pick(["presence", "change"] as const),
    consistency: random.pick(["immediate", "writeBehind", "staleReplica"] as const),
    lagMs: random.int(10, 80),
    search: random.pick(["none", "date", "dateTime"] as const),
    accounts: drawAccounts(random),
    charset: random.chance(0.5),
    gzip: random.chance(0.4),
    rateLimitEvery: random.chance(0.35) ? random.int(15, 40) : null,
    retryAfterSeconds: random.pick([0, 1] as const),
    requestIdHeader: random.pick(["none", "x-request-id", "X-Request-Id"] as const),
    poweredBy: random.chance(0.5),
    etag: random.chance(0.5),
  };
}

const short = (value: unknown): string => (Array.isArray(value) ? `[${value.join(",")}]` : String(value));

/** One line naming every knob, for a failing test's message. */
export function describeKnobs(k: Knobs): string {
  const refusals = REFUSAL_KINDS.map((kind) => `${kind}=${k.refusals[kind].status}/${k.refusals[kind].envelope}/${k.refusals[kind].code}`).join(" ");
  const { refusals: _r, accounts, ...plain } = k;
  const knobs = Object.entries(plain)
    .map(([name, value]) => `${name}=${short(value)}`)
    .join(" ");
  const { emptyFields, ...accountPlain } = accounts;
  const empties = ACCOUNT_NAMES.map((name) => `${name}:${short(emptyFields[name])}`).join(" ");
  const accountKnobs = Object.entries(accountPlain)
    .map(([name, value]) => `${name}=${short(value)}`)
    .join(" ");
  return `${refusals} | ${knobs} | empty ${empties} | ${accountKnobs}`;
}
