/**
 * @module conformance/reporters/visible
 * Text from elsewhere (a deployment's words, a fixtures file) on a terminal line: control and format characters
 * (bidirectional marks among them) are shown as \u escapes, so a line says what it says and cannot reorder or hide
 * itself.
 */
export function visible(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}
