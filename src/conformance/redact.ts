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
  return (text) => {
    let out = text;
    let folded = foldCase(text); // folded once, and again only after a form redacted something
    for (const match of matchers) {
      const next = match(out, folded);
      if (next !== out) folded = foldCase((out = next));
    }
    // Pieces redacted by different forms side by side read as one.
    return out.replace(/(?:<redacted>)+/g, REDACTED);
  };
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
 * Replaces each longest run of the text that is a piece (MIN_FRAGMENT or more characters, any case) of the form,
 * on the folded text (same positions). Linear in the text: each of the form's pieces of MIN_FRAGMENT characters is
 * looked for with the native indexOf, and a run, once found, grows at most to the form's length.
 */
function fragmentMatcher(form: string): (text: string, folded: string) => string {
  const lower = foldCase(form);
  const size = Math.min(MIN_FRAGMENT, lower.length);
  const seeds = new Set<string>();
  for (let i = 0; i + size <= lower.length; i++) seeds.add(lower.slice(i, i + size));
  return (text, low) => {
    if (text.length < size) return text;
    const starts: number[] = [];
    for (const seed of seeds) for (let at = low.indexOf(seed); at >= 0; at = low.indexOf(seed, at + 1)) starts.push(at);
    if (starts.length === 0) return text;
    starts.sort((a, b) => a - b);
    let out = "";
    let from = 0;
    for (const start of starts) {
      if (start < from) continue;
      // The longest run from here that is still one piece of the form (the form is short: a key).
      let end = start + size;
      while (end < low.length && end - start < lower.length && lower.includes(low.slice(start, end + 1))) end++;
      out += `${text.slice(from, start)}${REDACTED}`;
      from = end;
    }
    return out + text.slice(from);
  };
}
