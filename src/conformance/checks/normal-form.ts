/**
 * @module conformance/checks/normal-form
 * When is a value read back "the same" as one sent or one read before? Two readings:
 * - stored: what a read of an unchanged profile must show. Empty is empty (null, absent and "" alike), an email in
 *   any case (emails match case-insensitively), dob by its calendar day (the page sends YYYY-MM-DD and returns an
 *   ISO date-time, erratum E6; the vendor's search endpoint answers a plain date).
 * - normal form: what a service may make of a value it was sent and still have stored that value. The page promises
 *   "the updated user details", not an echo: text trimmed and its spaces folded, letter case (MALE for male, NY for
 *   ny), a phone number written with spaces or dashes stored in E.164, a date stored as a date-time (in any time zone
 *   that keeps the day within 14 hours of its UTC midnight).
 */

/** Empty on a target: null, absent or "". */
export const isEmptyValue = (value: unknown): boolean => value === null || value === undefined || value === "";

/** The calendar day a dob names, or undefined: "1995-10-01", or a date-time at midnight UTC of that day. */
export function dayOf(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  return /^(\d{4}-\d{2}-\d{2})(?:$|T00:00:00(?:\.0+)?(?:Z|[+-]00:?00)$)/.exec(value)?.[1];
}

/** Stored equality: what "nothing changed" compares. */
export function sameStored(field: string, a: unknown, b: unknown): boolean {
  if (isEmptyValue(a) || isEmptyValue(b)) return isEmptyValue(a) && isEmptyValue(b);
  if (typeof a === "string" && typeof b === "string") {
    if (field === "email") return a.toLowerCase() === b.toLowerCase();
    if (field === "dob" && dayOf(a) !== undefined && dayOf(b) !== undefined) return dayOf(a) === dayOf(b);
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Is `received` a form a service may store `sent` as? */
export function sameNormalForm(field: string, sent: unknown, received: unknown): boolean {
  if (sameStored(field, sent, received)) return true;
  if (typeof sent !== "string" || typeof received !== "string") return false;
  if (field === "dob") return sameDay(sent, received);
  if (field === "phoneNumber") return samePhone(sent, received);
  return foldText(sent) === foldText(received);
}

/** Trimmed, runs of white space as one space, one letter case. */
export function foldText(text: string): string {
  return text.normalize("NFC").trim().replace(/\s+/g, " ").toLowerCase();
}

/** The digits of a phone number, and whether it was written with a country code (a leading + or 00). */
export function phoneDigits(text: string): string {
  return text.replace(/^\s*00/, "+").replace(/[^\d]/g, "");
}

/** The same number: the same digits, or the same national number with a country code of 1 to 3 digits added. */
function samePhone(a: string, b: string): boolean {
  const [x, y] = [phoneDigits(a), phoneDigits(b)];
  if (x.length < 7 || y.length < 7) return false;
  if (x === y) return true;
  const [short, long] = x.length < y.length ? [x, y] : [y, x];
  return long.length - short.length <= 3 && long.endsWith(short);
}

/** A date sent as YYYY-MM-DD, answered as that day or as a date-time within 14 hours of its midnight UTC. */
function sameDay(sent: string, received: string): boolean {
  const day = dayOf(sent) ?? (/^\d{4}-\d{2}-\d{2}$/.test(sent) ? sent : undefined);
  if (!day) return false;
  const midnight = midnightUtc(day);
  if (midnight === undefined) return false;
  if (received.slice(0, 10) === day && /^\d{4}-\d{2}-\d{2}(T|$)/.test(received)) return true;
  // Date.parse rolls 1995-02-30 over to March 2: the received text must name a real instant of its own.
  const at = /^\d{4}-\d{2}-\d{2}T/.test(received) && midnightUtc(received.slice(0, 10)) !== undefined ? Date.parse(received) : Number.NaN;
  return Number.isFinite(at) && Math.abs(at - midnight) <= 14 * 3600_000;
}

/** Midnight UTC of a real calendar day, in ms; undefined for 1995-02-30 and other days that do not exist. */
function midnightUtc(day: string): number | undefined {
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!parts) return undefined;
  const ms = Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3]));
  return new Date(ms).toISOString().startsWith(day) ? ms : undefined;
}
