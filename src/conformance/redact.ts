/**
 * @module conformance/redact
 * The API key never reaches a console, a report or a recorded response, in any form. Responses are redacted as
 * soon as they are read (before anything is cut or escaped); reporters redact again as the last line of defence.
 * Every form the key can take on the way out is covered: as sent, JSON-escaped, XML- or HTML-escaped, URL-encoded. A text
 * that ends part-way through the key (cut for display) loses that part too.
 */
export type Redact = (text: string) => string;

export const REDACTED = "<redacted>";

/** Shorter keys cannot be told apart from ordinary text; the runner never records them anyway. */
const MIN_SECRET_LENGTH = 4;
/** A key's beginning left at the end of a cut text: this many characters or more are dropped. */
const MIN_PARTIAL = 6;

export function createRedactor(secrets: readonly (string | undefined)[]): Redact {
  const forms = [...new Set(secrets.filter((s): s is string => typeof s === "string" && s.length >= MIN_SECRET_LENGTH).flatMap(formsOf))]
    // Longest first, so a form that contains another is replaced whole.
    .sort((a, b) => b.length - a.length);
  if (forms.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const form of forms) out = out.split(form).join(REDACTED);
    for (const form of forms) out = dropCutPrefix(out, form);
    return out;
  };
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
  const html = escapeXml(secret).replace(/&apos;/g, "&#39;");
  return [secret, json, escapeXml(secret), escapeXml(json), html, encodeURIComponent(secret)];
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/** "…sk_live_ab… (300 characters)": a cut through the key keeps its beginning; drop it (at the end or before "…"). */
function dropCutPrefix(text: string, form: string): string {
  const cuts: number[] = [];
  for (let at = text.indexOf("…"); at >= 0; at = text.indexOf("…", at + 1)) cuts.push(at);
  cuts.push(text.length);
  let out = "";
  let from = 0;
  for (const cut of cuts) {
    for (let length = Math.min(form.length - 1, cut - from); length >= MIN_PARTIAL; length--) {
      if (text.startsWith(form.slice(0, length), cut - length)) {
        out += `${text.slice(from, cut - length)}${REDACTED}`;
        from = cut;
        break;
      }
    }
  }
  return out + text.slice(from);
}
