// Every choice the vendor page leaves open, as plain data: one deployment is one value of Knobs.
import type { LockingStatus } from "./domain.js";
import { STAFF_ROLES } from "./domain.js";

/** The refusals the page does not document, each answered with a status, an envelope and words of the deployment's own. */
export const REFUSAL_KINDS = [
  "missingKey",
  "emptyKey",
  "unknownKey",
  "malformedJson",
  "wrongShape",
  "invalidField",
  "contentType",
  "method",
  "tooLarge",
] as const;
export type RefusalKind = (typeof REFUSAL_KINDS)[number];

export type RefusalStatus = 400 | 401 | 403 | 404 | 405 | 413 | 415 | 422;

/** What a service plausibly sends for each refusal. */
export const REFUSAL_STATUS_CHOICES: Record<RefusalKind, readonly RefusalStatus[]> = {
  missingKey: [400, 401, 403],
  emptyKey: [400, 401, 403],
  unknownKey: [400, 401, 403, 404],
  malformedJson: [400, 422],
  wrongShape: [400, 422],
  invalidField: [400, 422],
  contentType: [415, 400, 422],
  method: [405, 404, 400],
  tooLarge: [413, 400],
};

/**
 * page: the page's {status, success:false, message}; errorCode: {error, code}; statusErrorCode: the vendor's newer
 * {status, success:false, error, code}; pagePlusErrorCode: the page's with error and code added.
 */
export const ENVELOPES = ["page", "errorCode", "statusErrorCode", "pagePlusErrorCode"] as const;
export type Envelope = (typeof ENVELOPES)[number];

export interface Refusal {
  status: RefusalStatus;
  envelope: Envelope;
  message: string;
  code: string;
}

export const ACCOUNT_NAMES = ["updatableUser", "lockedUser", "unlockedCaseUser", "otherOrganizationUser", "staffUser", "phoneOwner"] as const;
export type AccountName = (typeof ACCOUNT_NAMES)[number];

/** Fields a QA account may hold no value in (phoneNumber only where the target file does not name the number). */
export const EMPTYABLE_FIELDS = ["address", "address2", "city", "postalCode", "state", "phoneNumber", "gender", "dob"] as const;
export type EmptyableField = (typeof EMPTYABLE_FIELDS)[number];

export type StaffRole = (typeof STAFF_ROLES)[number];

/** The QA accounts' data: what the team seeded staging with, legacy rows included. */
export interface AccountKnobs {
  /** Fields with no value (null), per account. */
  emptyFields: Record<AccountName, readonly EmptyableField[]>;
  /** An account whose state is the legacy "New York", a value the service itself would now refuse; or none. */
  legacyStateOn: AccountName | null;
  /** The status of the locked account's case. */
  lockedCaseStatus: LockingStatus;
  /** The locked account also has an OPEN case. */
  lockedAlsoHasOpenCase: boolean;
  /** The updatable account has no case, or one that does not lock. */
  updatableCase: "none" | "OPEN" | "ABANDONED";
  staffRole: StaffRole;
  /** More USERs in the main organization, besides the named accounts. */
  fillerUsers: number;
  /** Names, addresses, emails and phone numbers are drawn from this. */
  dataSeed: number;
}

export const EXTRAS = ["id", "timestamps", "health", "role", "organizationId"] as const;
export type Extra = (typeof EXTRAS)[number];

export interface Knobs {
  /** Status, envelope and words of each undocumented refusal. */
  refusals: Record<RefusalKind, Refusal>;
  /** Documented failures carry a `code` beside the page's message (the vendor's newer envelopes do). */
  documentedCodes: boolean;
  /** The key is checked before the body is read; otherwise Content-Type and JSON come first (express.json() mounted app-wide). */
  keyCheckedFirst: boolean;
  /** A non-JSON Content-Type: refused outright, or express.json() skips the body and validation refuses the empty one. */
  contentType: "refused" | "bodyIgnored";
  /** express.json({strict}): a bare `null` is malformed JSON, or parsed and then refused as the wrong shape. */
  jsonStrict: boolean;
  bodyLimitKb: 16 | 100 | 1024;
  trimText: boolean;
  /** An empty string for a text field: refused, stored as "", or clears the field. */
  emptyText: "refused" | "stored" | "clears";
  /** gender in any case stored upper-case, or only upper-case accepted. */
  genderCase: "upper" | "strict";
  /** gender limited to MALE, FEMALE, OTHER, or any text (the page says "e.g."). */
  genderValues: "enum" | "free";
  /** state and country: any case stored upper-case, only upper-case accepted, or stored as sent. */
  regionCase: "upper" | "strict" | "asSent";
  /** email matched case-insensitively (stored lower-case), or exactly. */
  emailMatch: "caseInsensitive" | "exact";
  /** "User {email} …" quotes the email as sent, or as the service normalises it. */
  emailInMessage: "asSent" | "normalised";
  /** A malformed email is refused as a bad field, or looked up (and not found). */
  emailFormatChecked: boolean;
  /** Phone numbers: E.164 only, or other US formats accepted and stored in E.164. */
  phoneFormat: "e164Only" | "normalise";
  /** postalCode: any digits (the page), exactly five, or five or ZIP+4 (the vendor's staging page). */
  postalCode: "digits" | "fiveDigits" | "fiveOrZip4";
  nameMaxLength: 50 | 100 | null;
  textMaxLength: 255 | 1000 | null;
  dobRange: "any" | "notFuture" | "since1900NotFuture";
  /** "It should not be a PO Box Address." (the vendor's staging page). */
  refusePoBox: boolean;
  /** Where field validation runs among the rule checks. */
  validationAt: "beforeLookup" | "afterLookup" | "afterAccessChecks" | "betweenLockAndPhone" | "last";
  /** The role is checked before the organization. */
  roleBeforeOrg: boolean;
  /** The phone number is checked before the lock. */
  phoneBeforeLock: boolean;
  /** null for a field: clears it, clears address2 only ("Send null to reset") and is refused elsewhere, is refused, or is ignored. */
  nulls: "clearAll" | "clearAddress2Only" | "refused" | "ignored";
  /** dob in the 200: YYYY-MM-DD, or an ISO date-time as the page's example shows. */
  dobOut: "date" | "dateTime";
  /** Fields the user carries beyond the page's. */
  extras: readonly Extra[];
  /** updatedAt is bumped on every call, an email-only one too (a write in every case). */
  updatedAtEveryCall: boolean;
  /** Fields with no value are answered null, or left out. */
  emptyOut: "null" | "omitted";
  /** Unknown keys in data (and beside it): silently dropped, or refused (zod strict). */
  unknownKeys: "dropped" | "refused";
  /** The lock fires when a locked field is present, or only when its value changes. */
  lockTrigger: "presence" | "change";
  /** immediate; a write-behind queue (200 with the new values, applied lagMs later); or reads from a replica refreshed lagMs after a write (at most once every lagMs). */
  consistency: "immediate" | "writeBehind" | "staleReplica";
  lagMs: number;
  /** GET /api/v1/users (Search users) not offered, or offered with dob as a date or a date-time. */
  search: "none" | "date" | "dateTime";
  accounts: AccountKnobs;
  /** Content-Type of answers carries "; charset=utf-8". */
  charset: boolean;
  /** Answers gzip-compressed when the client accepts it. */
  gzip: boolean;
  /** Every Nth request is answered 429 with Retry-After (never two in a row), or none. */
  rateLimitEvery: number | null;
  retryAfterSeconds: 0 | 1;
  /** A request id header on every answer, under this spelling; or none. */
  requestIdHeader: "none" | "x-request-id" | "X-Request-Id";
  poweredBy: boolean;
  etag: boolean;
}
