// How the service normalises what it is sent before storing or comparing it.
import type { Knobs } from "./knobs.js";

export const E164 = /^\+[1-9]\d{7,14}$/;

/** A US number in any usual writing ("+1 415-555-0199", "(415) 555-0199", "415.555.0199") in E.164, or null. */
export function toE164(text: string): string | null {
  const trimmed = text.trim();
  if (!/^\+?[\d\s().-]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, "");
  if (trimmed.startsWith("+")) return E164.test(`+${digits}`) ? `+${digits}` : null;
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith("1")) return `+${digits}`;
  return null;
}

/** The number as this deployment would store it, or null when it would refuse it. */
export function storedPhone(text: string, k: Pick<Knobs, "phoneFormat" | "trimText">): string | null {
  if (k.phoneFormat === "normalise") return toE164(text);
  const candidate = k.trimText ? text.trim() : text;
  return E164.test(candidate) ? candidate : null;
}

/** The email as the service compares and stores it. */
export function normalisedEmail(email: string, k: Pick<Knobs, "emailMatch" | "trimText">): string {
  const trimmed = k.trimText ? email.trim() : email;
  return k.emailMatch === "caseInsensitive" ? trimmed.toLowerCase() : trimmed;
}

export const trimmedIf = (text: string, trim: boolean): string => (trim ? text.trim() : text);

/** YYYY-MM-DD that names a real calendar day. */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
