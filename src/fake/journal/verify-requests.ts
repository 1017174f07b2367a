/**
 * @module fake/journal/verify-requests
 * Finding, counting and verifying journal entries with a request matcher (WireMock's `verify`): when a verification
 * fails, the error names the expected and actual counts and the closest requests the fake saw, each with the parts
 * of the matcher it fails (WireMock's near misses).
 */
import type { Contract } from "../../contract/contract.js";
import { MAX_JOURNAL_PAGE, type JournalEntry } from "../core/request-journal.js";
import { compileMatcher, type CompiledMatcher, type PartDifference, type RequestMatcher } from "./match-request.js";

/** What fake.verify reads: the journal, one entry at a time (RequestJournal.scan). */
export interface JournalScan {
  scan(visit: (entry: JournalEntry) => boolean | void): void;
}

/** How many matching requests a verification expects: exactly N, or a range; at least 1 when left out. */
export type VerifyTimes = number | { atLeast?: number; atMost?: number };

export interface VerifyOptions {
  times?: VerifyTimes;
}

/** How many near misses a failed verification lists. */
export const NEAR_MISSES = 3;

/** A verification that failed; the message says what was expected, what came, and the closest requests. */
export class VerificationError extends Error {
  override name = "VerificationError";
  constructor(
    message: string,
    readonly expected: string,
    readonly actual: number,
    readonly nearMisses: readonly NearMiss[],
  ) {
    super(message);
  }
}

export interface NearMiss {
  entry: JournalEntry;
  differences: PartDifference[];
}

/** The matching entries, oldest first, at most MAX_JOURNAL_PAGE. */
export function findRequests(journal: JournalScan, matcher: CompiledMatcher): JournalEntry[] {
  const found: JournalEntry[] = [];
  journal.scan((entry) => {
    if (matcher.matches(entry)) found.push(entry);
    return found.length < MAX_JOURNAL_PAGE;
  });
  return found;
}

export function countRequests(journal: JournalScan, matcher: CompiledMatcher): number {
  let count = 0;
  journal.scan((entry) => {
    if (matcher.matches(entry)) count++;
  });
  return count;
}

/**
 * Throws VerificationError unless the journal holds as many matching requests as `times` says; MatcherError when
 * the matcher is not one, RangeError when `times` is not a count.
 */
export function verifyRequests(contract: Contract, journal: JournalScan, matcher: RequestMatcher, options: VerifyOptions = {}): void {
  const compiled = compileMatcher(contract, matcher);
  const { atLeast, atMost, words } = expectedCount(options.times);
  let count = 0;
  const closest: NearMiss[] = [];
  journal.scan((entry) => {
    const differences = compiled.differences(entry);
    if (differences.length === 0) return void count++;
    keepClosest(closest, { entry, differences });
  });
  if (count >= atLeast && count <= atMost) return;
  const message = [
    `Expected ${words} matching ${JSON.stringify(matcher)}, but the fake saw ${count}.`,
    closest.length === 0
      ? "No other request came (the journal holds nothing else)."
      : `The closest ${closest.length === 1 ? "request" : `${closest.length} requests`} it saw:`,
    ...closest.map(describeNearMiss),
  ].join("\n");
  throw new VerificationError(message, words, count, closest);
}

/** Keeps the NEAR_MISSES entries with the fewest differing parts, the newest first among equals. */
function keepClosest(closest: NearMiss[], miss: NearMiss): void {
  const at = closest.findIndex((kept) => miss.differences.length <= kept.differences.length);
  if (at >= 0) closest.splice(at, 0, miss);
  else closest.push(miss);
  if (closest.length > NEAR_MISSES) closest.pop();
}

function describeNearMiss({ entry, differences }: NearMiss, i: number): string {
  const parts = differences.map((d) => `    ${d.part}: expected ${d.expected}, was ${d.actual}`);
  return [
    `  ${i + 1}. #${entry.id} ${entry.method} ${entry.path} → ${entry.status ?? "no answer"} ${entry.outcome} (${differences.length} ${differences.length === 1 ? "part differs" : "parts differ"})`,
    ...parts,
  ].join("\n");
}

function expectedCount(times: VerifyTimes | undefined): { atLeast: number; atMost: number; words: string } {
  const count = (name: string, value: number | undefined) => {
    if (value !== undefined && (!Number.isInteger(value) || value < 0))
      throw new RangeError(`verify: ${name} must be a whole number, 0 or more (got ${value}).`);
    return value;
  };
  if (times === undefined) return { atLeast: 1, atMost: Infinity, words: "at least 1 request" };
  if (typeof times === "number") {
    count("times", times);
    return { atLeast: times, atMost: times, words: `exactly ${times} ${times === 1 ? "request" : "requests"}` };
  }
  const atLeast = count("times.atLeast", times.atLeast) ?? 0;
  const atMost = count("times.atMost", times.atMost) ?? Infinity;
  if (atLeast > atMost) throw new RangeError(`verify: times.atLeast (${atLeast}) is more than times.atMost (${atMost}).`);
  const words = atMost === Infinity ? `at least ${atLeast}` : atLeast === 0 ? `at most ${atMost}` : `from ${atLeast} to ${atMost}`;
  return { atLeast, atMost, words: `${words} requests` };
}
