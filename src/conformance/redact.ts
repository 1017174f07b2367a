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
  const matchers = matchersOf(secrets);
  if (matchers.length === 0) return (text) => text;
  // Pieces redacted by different forms side by side read as one.
  return (text) => matchers.reduce((out, matcher) => matcher.redact(out), text).replace(/(?:<redacted>)+/g, REDACTED);
}

/**
 * Does the text hold the secret, or a piece of it of MIN_FRAGMENT characters or more, in any of its forms? Stops at
 * the first piece found, and copies nothing but the text's lower case: cheap on a 1 MiB answer.
 */
export function createSecretFinder(secrets: readonly (string | undefined)[]): (text: string) => boolean {
  const matchers = matchersOf(secrets);
  return (text) => matchers.some((matcher) => matcher.holds(text));
}

/** One-off form of createSecretFinder; build the finder once where many texts are checked. */
export function holdsSecret(text: string, secret: string): boolean {
  return createSecretFinder([secret])(text);
}

function matchersOf(secrets: readonly (string | undefined)[]): FragmentMatcher[] {
  const forms = [...new Set(secrets.filter((s): s is string => typeof s === "string" && s.length >= MIN_SECRET_LENGTH).flatMap(formsOf))];
  return forms.map(fragmentMatcher);
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
  return [
    secret,
    json,
    xml,
    escapeXml(json),
    xml.replace(/&apos;/g, "&#39;"),
    encodeURIComponent(secret),
    Buffer.from(secret, "utf8").toString("latin1"),
  ];
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

interface FragmentMatcher {
  /** Replaces each longest run of the text that is a piece (MIN_FRAGMENT or more characters, any case) of the form. */
  redact: Redact;
  /** Whether the text holds such a piece at all. */
  holds: (text: string) => boolean;
}

/**
 * A long answer can hold the key thousands of times (a target that echoes it in an endless body: 1 MiB read, some
 * 16,000 copies). Every copy is found by each of its ~40 pieces, so the matcher allocates nothing per find: for each
 * piece it keeps only where that piece next occurs, and measures how far a match runs by comparing characters, not
 * by slicing. (Collecting every find and a slice per character cost some 40 MB of garbage per MiB redacted, which
 * newer engines let grow into the process's memory before collecting it.)
 */
function fragmentMatcher(form: string): FragmentMatcher {
  const lower = foldCase(form);
  const size = Math.min(MIN_FRAGMENT, lower.length);
  /** Each distinct piece of `size` characters, with every position where it starts in the form. */
  const seeds = new Map<string, number[]>();
  for (let i = 0; i + size <= lower.length; i++) {
    const seed = lower.slice(i, i + size);
    const at = seeds.get(seed);
    if (at) at.push(i);
    else seeds.set(seed, [i]);
  }
  const pieces = [...seeds];
  /** How far from `start` the folded text goes on matching the form somewhere a piece of it starts. */
  const runEnd = (folded: string, start: number, formStarts: number[]): number => {
    let end = start + size;
    for (const j of formStarts) {
      let k = size;
      while (j + k < lower.length && start + k < folded.length && lower.charCodeAt(j + k) === folded.charCodeAt(start + k)) k++;
      end = Math.max(end, start + k);
    }
    return end;
  };
  return {
    holds: (text) => {
      if (text.length < size) return false;
      const folded = foldCase(text);
      return pieces.some(([seed]) => folded.includes(seed));
    },
    redact: (text) => {
      if (text.length < size) return text;
      // Folded character by character (contract/fold-case): positions line up with the text's, for any text.
      const folded = foldCase(text);
      // Where each piece next occurs at or after `from` (-1: nowhere more); native indexOf, far cheaper than a slice at
      // every position of a long body.
      const next = pieces.map(([seed]) => folded.indexOf(seed));
      const parts: string[] = [];
      let from = 0;
      for (;;) {
        let best = -1;
        for (let i = 0; i < pieces.length; i++) {
          if (next[i]! >= 0 && next[i]! < from) next[i] = folded.indexOf(pieces[i]![0], from);
          if (next[i]! >= 0 && (best < 0 || next[i]! < next[best]!)) best = i;
        }
        if (best < 0) break;
        const start = next[best]!;
        // The longest run from here: over every piece that starts here, the longest match against the form.
        let end = start + size;
        for (let i = 0; i < pieces.length; i++) if (next[i] === start) end = Math.max(end, runEnd(folded, start, pieces[i]![1]));
        parts.push(text.slice(from, start), REDACTED);
        from = end;
      }
      if (parts.length === 0) return text;
      parts.push(text.slice(from));
      return parts.join("");
    },
  };
}
