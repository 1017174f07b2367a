/**
 * @module contract/aligned-answers
 * The answers a fixtures file may set (FixtureAnswers in openapi.yaml), and the placeholders each may use: read by
 * the fake when it loads fixtures, and by drift when it writes a profile.
 */
import type { Contract } from "./contract.js";

/** The placeholders of `message` that the answer `name` cannot fill (x-kit-placeholders), in order of appearance. */
export function unknownPlaceholders(contract: Contract, name: string, message: string): string[] {
  const allowed = contract.alignableAnswers[name] ?? [];
  return [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).filter((placeholder) => !allowed.includes(placeholder));
}
