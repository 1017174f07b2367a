/**
 * @module fake/journal/match-request
 * Whether a journal entry matches a request matcher (RequestMatcher in openapi.yaml), and if not, which parts
 * differ: the one function behind POST /__admin/requests/find and /count, fake.findRequests, fake.countRequests
 * and fake.verify. The matcher's shape is checked by openapi.yaml's schema; this adds what a schema cannot say
 * (a regex that compiles, and cannot stall the fake).
 */
import type { components } from "../../generated/openapi.js";
import type { Contract } from "../../contract/contract.js";
import { formatIssues } from "../../contract/validators.js";
import type { JournalEntry } from "../core/request-journal.js";
import { compileSafePattern, patternFinds } from "./safe-pattern.js";

export type RequestMatcher = components["schemas"]["RequestMatcher"];
export type TextPattern = components["schemas"]["TextPattern"];
export type ValuePattern = components["schemas"]["ValuePattern"];

/** A matcher the fake cannot use; `message` says which part and why. */
export class MatcherError extends Error {
  override name = "MatcherError";
}

/** One part of a matcher an entry fails: which, what was expected, what the entry had. */
export interface PartDifference {
  part: string;
  expected: string;
  actual: string;
}

/** A checked matcher, its regexes compiled: `differences(entry)` is empty when the entry matches. */
export interface CompiledMatcher {
  readonly matcher: RequestMatcher;
  /** How many parts the matcher has (a header or a data field counts as one). */
  readonly parts: number;
  differences(entry: JournalEntry): PartDifference[];
  matches(entry: JournalEntry): boolean;
}

type Test = (entry: JournalEntry) => PartDifference | undefined;

export const REQUEST_MATCHER_POINTER = "/components/schemas/RequestMatcher";

/** Checks a matcher against openapi.yaml's RequestMatcher and compiles it; throws MatcherError saying what is wrong. */
export function compileMatcher(contract: Contract, matcher: unknown): CompiledMatcher {
  const issues = contract.schemaValidator(REQUEST_MATCHER_POINTER)(matcher);
  if (issues.length > 0) throw new MatcherError(formatIssues(issues));
  const m = matcher as RequestMatcher;
  const tests: Test[] = [];
  if (m.method !== undefined) {
    const method = m.method.toUpperCase();
    tests.push((e) => (e.method.toUpperCase() === method ? undefined : { part: "method", expected: method, actual: e.method }));
  }
  if (m.path !== undefined) tests.push(textTest("path", m.path, (e) => e.path));
  for (const [name, pattern] of Object.entries(m.headers ?? {})) {
    const header = name.toLowerCase();
    tests.push(textTest(`headers.${header}`, pattern, (e) => e.headers[header]));
  }
  for (const [field, pattern] of Object.entries(m.data ?? {})) tests.push(valueTest(`data.${field}`, pattern, (e) => dataOf(e)?.[field]));
  if (m.status !== undefined) {
    tests.push((e) => (e.status === m.status ? undefined : { part: "status", expected: String(m.status), actual: String(e.status) }));
  }
  if (m.outcome !== undefined) tests.push(textTest("outcome", m.outcome, (e) => e.outcome));
  const differences = (entry: JournalEntry) => {
    const found: PartDifference[] = [];
    for (const test of tests) {
      const difference = test(entry);
      if (difference) found.push(difference);
    }
    return found;
  };
  return { matcher: m, parts: tests.length, differences, matches: (entry) => tests.every((test) => test(entry) === undefined) };
}

/** The request body's `data` object, when the body was JSON and had one. */
function dataOf(entry: JournalEntry): Record<string, unknown> | undefined {
  const body = entry.body;
  if (typeof body !== "object" || body === null) return undefined;
  const data = (body as { data?: unknown }).data;
  return typeof data === "object" && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
}

function textTest(part: string, pattern: TextPattern, read: (entry: JournalEntry) => unknown): Test {
  const test = textPredicate(part, pattern);
  return (entry) => {
    const actual = read(entry);
    return test(actual) ? undefined : { part, expected: describePattern(pattern), actual: describeValue(actual) };
  };
}

function valueTest(part: string, pattern: ValuePattern, read: (entry: JournalEntry) => unknown): Test {
  if (pattern === null || typeof pattern === "number" || typeof pattern === "boolean") {
    return (entry) => {
      const actual = read(entry);
      return Object.is(actual, pattern) ? undefined : { part, expected: JSON.stringify(pattern), actual: describeValue(actual) };
    };
  }
  return textTest(part, pattern, read);
}

/** Equal text, `contains`, or `matches`; numbers and booleans are read as text by `contains` and `matches`. */
function textPredicate(part: string, pattern: TextPattern): (actual: unknown) => boolean {
  if (typeof pattern === "string") return (actual) => actual === pattern;
  const text = (actual: unknown) =>
    typeof actual === "string" ? actual : typeof actual === "number" || typeof actual === "boolean" ? String(actual) : undefined;
  if ("contains" in pattern) {
    const needle = pattern.contains;
    return (actual) => text(actual)?.includes(needle) === true;
  }
  const compiled = compileSafePattern(pattern.matches);
  if (!compiled.ok) throw new MatcherError(`${part}.matches ${JSON.stringify(pattern.matches)} ${compiled.problem}`);
  return (actual) => {
    const value = text(actual);
    return value !== undefined && patternFinds(compiled.regex, value);
  };
}

function describePattern(pattern: TextPattern): string {
  if (typeof pattern === "string") return JSON.stringify(pattern);
  if ("contains" in pattern) return `text containing ${JSON.stringify(pattern.contains)}`;
  return `text matching /${pattern.matches}/`;
}

/** An entry's value as a near miss shows it: JSON, cut short, or "nothing". */
function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  const json = JSON.stringify(value);
  return json.length > 120 ? `${json.slice(0, 117)}...` : json;
}
