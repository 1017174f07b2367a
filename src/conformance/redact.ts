/**
 * @module conformance/redact
 * The API key never reaches a console, a report or a recorded response, in any form. Responses are redacted as
 * soon as they are read (before anything is cut or escaped); reporters redact again as the last line of defence.
 * Every form the key can take on the way out is covered: as sent, JSON-escaped, XML- or HTML-escaped, URL-encoded,
 * and its UTF-8 bytes read as Latin-1 (as a header carrying it comes back). So is any part of it of 8 characters or
 * more, in any letter case: a target that echoes "sk_live_acme_7Q***", the key's last characters, or the key in
 * upper case leaks it as surely as one that echoes it whole, and a text cut for display keeps only a part.
 */
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

/** Replaces each longest run of the text that is a piece (MIN_FRAGMENT or more characters, any case) of the form. */
function fragmentMatcher(form: string): Redact {
  const lower = form.toLowerCase();
  const size = Math.min(MIN_FRAGMENT, lower.length);
  const seeds = new Set<string>();
  for (let i = 0; i + size <= lower.length; i++) seeds.add(lower.slice(i, i + size));
  return (text) => {
    if (text.length < size) return text;
    const folded = text.toLowerCase();
    // toLowerCase can change a string's length (rare letters): positions would not line up; fall back to the whole form.
    if (folded.length !== text.length) return text.split(form).join(REDACTED);
    // Where a piece starts: native indexOf per seed is far cheaper than a slice at every position of a long body.
    const starts: number[] = [];
    for (const seed of seeds) for (let at = folded.indexOf(seed); at >= 0; at = folded.indexOf(seed, at + 1)) starts.push(at);
    if (starts.length === 0) return text;
    starts.sort((a, b) => a - b);
    let out = "";
    let from = 0;
    for (const start of starts) {
      if (start < from) continue;
      let end = start + size;
      while (end < folded.length && lower.includes(folded.slice(start, end + 1))) end++;
      out += `${text.slice(from, start)}${REDACTED}`;
      from = end;
    }
    return out + text.slice(from);
  };
}
