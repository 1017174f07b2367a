/**
 * @module fake/core/json-text
 * JSON text for the fake's hot answers, written straight from their parts instead of through JSON.stringify on a
 * freshly built object: JSON.stringify was the fake's largest cost per success answer (see docs/benchmarks.md).
 * The text is exactly what JSON.stringify gives; anything out of the ordinary goes to JSON.stringify itself.
 */

/** Characters JSON.stringify escapes in a string: controls, quote, backslash, and surrogates (a lone one is escaped). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;

/** JSON.stringify(text), faster for the usual string that needs no escape. */
export function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/** JSON.stringify(value) for a value that is not undefined, faster for a string or null. */
export function jsonValue(value: unknown): string {
  if (typeof value === "string") return jsonString(value);
  return value === null ? "null" : JSON.stringify(value);
}
