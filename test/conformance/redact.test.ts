// The redactor against a plain statement of what it must do (every longest run that is a piece of 8 or more
// characters of the key, in any case, becomes <redacted>), on random texts built from pieces of the key, in any case.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRedactor, createSecretFinder, MIN_FRAGMENT, REDACTED } from "../../src/conformance/redact.js";

/** A key whose every form (JSON, XML, URL, Latin-1) is the key itself, so the rule below has one form to follow. */
const KEY = "sk_live_Ab3xYz9_QwErTy7Mn";

/** The rule, written the slow and obvious way: from left to right, at each position the longest piece that starts there. */
function referenceRedact(text: string, form: string): string {
  const lower = form.toLowerCase();
  const folded = text.toLowerCase();
  let out = "";
  let i = 0;
  while (i < text.length) {
    let end = i;
    for (let e = i + MIN_FRAGMENT; e <= text.length; e++) if (lower.includes(folded.slice(i, e))) end = e;
    if (end > i) {
      out += REDACTED;
      i = end;
    } else out += text[i++];
  }
  return out;
}

const textAroundKey = fc
  .array(
    fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.tuple(fc.nat(KEY.length), fc.nat(KEY.length), fc.boolean()).map(([a, b, upper]) => {
        const piece = KEY.slice(Math.min(a, b), Math.max(a, b));
        return upper ? piece.toUpperCase() : piece;
      }),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(""));

describe("createRedactor", () => {
  it("redacts exactly the longest runs that are pieces of the key (8+ characters, any case), and leaves the rest", () => {
    const redact = createRedactor([KEY]);
    const holds = createSecretFinder([KEY]);
    fc.assert(
      fc.property(textAroundKey, (text) => {
        const expected = referenceRedact(text, KEY).replace(/(?:<redacted>)+/g, REDACTED);
        expect(redact(text)).toBe(expected);
        expect(holds(text)).toBe(expected !== text);
      }),
      { numRuns: 300, seed: 19 },
    );
  });
});
