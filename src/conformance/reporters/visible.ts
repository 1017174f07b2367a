/**
 * @module conformance/reporters/visible
 * The one way text from elsewhere (a deployment's words and bodies, a fixtures file, a target file) is made safe
 * to show: control and format characters (bidirectional marks, zero-width characters, line and paragraph
 * separators among them) are shown as \u escapes, so a line says what it says and cannot move the cursor, clear the
 * screen, set the clipboard (OSC 52), reorder or hide itself. Every console line, report and learned profile
 * answer goes through it.
 */
import type { Redact } from "../redact.js";

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
/** In a report file (HTML, JSON, XML) a line break or a tab is layout, not an attack: kept there. */
const INVISIBLE_BUT_LAYOUT = /[^\P{Cc}\n\t]|[\p{Cf}\p{Zl}\p{Zp}]/gu;

export interface VisibleOptions {
  /** Keep \n and \t (for report files, where they cannot forge a terminal line). Default false. */
  keepLayout?: boolean;
}

export function visible(text: string, options: VisibleOptions = {}): string {
  return text.replace(options.keepLayout ? INVISIBLE_BUT_LAYOUT : INVISIBLE, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

/** A terminal line as it may be written: visible, then redacted. */
export function safeLine(redact: Redact): (line: string) => string {
  return (line) => redact(visible(line));
}

/** Every string inside a JSON value (keys included) visible (layout kept) and redacted, before it is serialized. */
export function safeValue<T>(value: T, redact: Redact): T {
  if (typeof value === "string") return redact(visible(value, { keepLayout: true })) as T;
  if (Array.isArray(value)) return value.map((v) => safeValue(v, redact)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(visible(k, { keepLayout: true })), safeValue(v, redact)])) as T;
  }
  return value;
}
