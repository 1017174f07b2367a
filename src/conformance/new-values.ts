/**
 * @module conformance/new-values
 * A new value for a field of an account: valid under the contract and under any stricter rule a service plausibly
 * adds (five-digit postal codes, real US states, short plain names, a past date of birth), and different from what
 * the account holds, so that a write that lands is seen. A scenario asks for one with {{new:ACCOUNT.FIELD}}, or
 * for several with `change: [fields]`.
 */
import { foldText, sameStored } from "./checks/normal-form.js";

/** Two candidates each: the second is used when the account already holds the first. */
const CANDIDATES: Readonly<Record<string, readonly [string, string]>> = {
  firstName: ["Conformance", "Checkwell"],
  lastName: ["Conformance", "Checkwell"],
  dob: ["1970-01-01", "1971-02-03"],
  gender: ["OTHER", "FEMALE"],
  address: ["100 Conformance Way", "200 Conformance Way"],
  address2: ["Suite 100", "Suite 200"],
  city: ["Conformance City", "Conformance Town"],
  state: ["MA", "NY"],
  country: ["US", "CA"],
  postalCode: ["02108", "10001"],
};

/**
 * A value for `field` that the account (as read) does not hold; undefined for a field with no candidates
 * (phoneNumber: a number is never made up, it may be a real person's; the target file's freePhoneNumber is used).
 */
export function newValue(field: string, current: unknown, freePhoneNumber?: string): string | undefined {
  if (field === "phoneNumber") return freePhoneNumber !== undefined && !sameStored(field, freePhoneNumber, current) ? freePhoneNumber : undefined;
  const candidates = CANDIDATES[field];
  if (!candidates) return undefined;
  const held = typeof current === "string" ? foldText(current) : undefined;
  const fresh = candidates.find((c) => foldText(c) !== held && !sameStored(field, c, current));
  return fresh;
}

/** The same day as a date-time, as the page's own success answer writes it (1995-10-01T00:00:00.000Z). */
export const asDateTime = (day: string): string => `${day}T00:00:00.000Z`;

/** A phone number written as people write it ("+1 415 555 0199"): the same digits, with spaces. */
export function spacedPhone(e164: string): string {
  const digits = e164.replace(/^\+/, "");
  const country = digits.startsWith("1") || digits.startsWith("7") ? 1 : 2;
  const rest = digits.slice(country);
  const groups = rest.length > 7 ? [rest.slice(0, 3), rest.slice(3, 6), rest.slice(6)] : [rest.slice(0, 3), rest.slice(3)];
  return `+${digits.slice(0, country)} ${groups.filter(Boolean).join(" ")}`;
}
