/**
 * @module conformance/redact
 * The API key never reaches a console, a report or a recorded response, in any form. Responses are redacted as
 * soon as they are read (before anything is cut or escaped); reporters redact again as the last line of defence.
 * Every form the key can take on the way out is covered: as sent, JSON-escaped, XML- or HTML-escaped, URL-encoded,
 * and its UTF-8 bytes read as Latin-1 (as a header carrying it comes back). So is any part of it of 8 characters or
 * more, in any letter case: a target that echoes "sk_live_acme_7Q***", the key's last characters, or the key in
 * upper case leaks it as surely as one that echoes it whole, and a text cut for display keeps only a part.
 */
import { foldCase } from "../contract/fold-case.js";

export type Redact = (text: string) => string;

export const REDACTED = "<redacted>";

/** Shorter keys cannot be told apart from ordinary text; the runner never records them anyway. */
const MIN_SECRET_LENGTH = 4;
/** A piece of a key this long or longer is redacted wherever it appears. */
export const MIN_FRAGMENT = 8;

export function createRedactor(secrets: readonly (string | undefined)[]): Redact {
  const forms = [...new Set(secrets.filter((s): s is string => typeof s === "string" && s.length >= MIN_SECRET_LENGTH).flatMap(formsOf))];
  if (forms.length === 0) return (text) => text;
  const matchers = forms.map(fragmentMatcher);
  // Pieces redacted by different forms side by side read as one.
  return (text) => matchers.reduce((out, match) => match(out), text).replace(/(?:<redacted>)+/g, REDACTED);
}

/** Does the text hold the secret, or a piece of it of MIN_FRAGMENT characters or more, in any of its forms? */
export function holdsSecret(text: string, secret: string): boolean {
  const redact = createRedactor([secret]);
  return redact(text) !== text;
}

/** Redacts every string inside a JSON value (keys included), before it is serialized. */
export function redactValue<T>(value: T, redact: Redact): T {
  if (typeof value === "string") return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, redact)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k), redactValue(v, redact)])) as T;
  }
  return value;
}

function formsOf(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const xml = escapeXml(secret);
  return [secret, json, xml, escapeXml(json), xml.replace(/&apos;/g, "&#39;"), encodeURIComponent(secret), Buffer.from(secret, "utf8").toString("latin1")];
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/**
 * Replaces each longest run of the text that is a piece (MIN_FRAGMENT or more characters, any case) of the form.
 * Linear in the text: one pass over it, with the form's pieces of MIN_FRAGMENT characters in a set; a run grows
 * while the piece ending at its end is one of the form's and the run as a whole still is.
 */
function fragmentMatcher(form: string): Redact {
  const lower = foldCase(form);
  const size = Math.min(MIN_FRAGMENT, lower.length);
  const seeds = new Set<string>();
  for (let i = 0; i + size <= lower.length; i++) seeds.add(lower.slice(i, i + size));
  return (text) => {
    if (text.length < size) return text;
    const low = foldCase(text);
    let out = "";
    let from = 0;
    let start = 0;
    while (start + size <= low.length) {
      if (!seeds.has(low.slice(start, start + size))) {
        start++;
        continue;
      }
      // The longest run from here that is still one piece of the form (the form is short: a key).
      let end = start + size;
      while (end < low.length && end - start < lower.length && lower.includes(low.slice(start, end + 1))) end++;
      out += `${text.slice(from, start)}${REDACTED}`;
      from = end;
      start = end;
    }
    return from === 0 ? text : out + text.slice(from);
  };
}
