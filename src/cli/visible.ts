/**
 * @module cli/visible
 * Text from elsewhere (a deployment's words, a fixtures file) on a terminal line: control and bidirectional
 * characters are shown as \u escapes, so the line says what it says and cannot reorder or hide itself.
 */
export function visible(text: string): string {
  return text.replace(/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
