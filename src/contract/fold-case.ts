/**
 * @module contract/fold-case
 * Text compared in any letter case, with positions kept: each character is folded on its own to one lower-case
 * character of the same UTF-16 length. A letter whose lower case is longer (U+0130 İ is "i" and a combining dot)
 * folds to the first character of it, so a position in the folded text is the same position in the text; there is
 * no fallback to exact comparison for any text. Browser-safe (no Node API).
 */
export function foldCase(text: string): string {
  // Latin-1 text (most of it) lower-cases one character for one: the native lower case is then the fold.
  if (!BEYOND_LATIN1.test(text)) return text.toLowerCase();
  return text.replace(TO_FOLD, foldChar);
}

const BEYOND_LATIN1 = /[\u0100-\u{10ffff}]/u;
/** Capitals of Latin-1, and every character beyond it (one code point at a time). */
const TO_FOLD = /[A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u{10ffff}]/gu;

const cache = new Map<string, string>();
const CACHE_SIZE = 4096;

function foldChar(ch: string): string {
  if (ch < "\u0080") return ch >= "A" && ch <= "Z" ? String.fromCharCode(ch.charCodeAt(0) + 32) : ch;
  let f = cache.get(ch);
  if (f === undefined) {
    const first = String.fromCodePoint(ch.toLowerCase().codePointAt(0)!);
    f = first.length === ch.length ? first : ch;
    if (cache.size < CACHE_SIZE) cache.set(ch, f);
  }
  return f;
}
