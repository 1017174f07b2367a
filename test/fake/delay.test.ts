// The one delay parser and check (src/fake/core/delay.ts), used by Prefer: delay=, serve --delay, createFake's
// delay and a fault's delay.
import { describe, expect, it } from "vitest";
import { loadContract } from "../../src/contract/contract.js";
import { delayLength, delayProblem, parseDelay } from "../../src/fake/core/delay.js";
import { delayFrom } from "../../src/cli/parse-options.js";
import { createFake } from "../../src/index.js";

const contract = loadContract();
const OUT_OF_RANGE = /whole milliseconds from 0 to 60000/;

describe("parseDelay and delayProblem", () => {
  const table: [text: string, parsed: unknown, problem: RegExp | undefined][] = [
    ["250", { ms: 250 }, undefined],
    ["0", { ms: 0 }, undefined],
    ["60000", { ms: 60_000 }, undefined],
    ["60001", { ms: 60_001 }, OUT_OF_RANGE],
    ["100-400", { min: 100, max: 400 }, undefined],
    ["400-400", { min: 400, max: 400 }, undefined],
    ["400-100", { min: 400, max: 100 }, /delay\.min must not be more than delay\.max/],
    ["0-70000", { min: 0, max: 70_000 }, OUT_OF_RANGE],
    ["1234567890", undefined, undefined],
    ["", undefined, undefined],
    ["-5", undefined, undefined],
    ["1.5", undefined, undefined],
    ["100-", undefined, undefined],
    ["1e3", undefined, undefined],
    [" 250", undefined, undefined],
  ];
  it.each(table)("%j", (text, parsed, problem) => {
    const delay = parseDelay(text);
    expect(delay).toEqual(parsed);
    if (delay === undefined) return;
    const found = delayProblem(contract, delay);
    if (problem) expect(found).toMatch(problem);
    else expect(found).toBeUndefined();
  });

  it("refuses what is not a delay at all", () => {
    for (const value of [null, 5, "250", { ms: -1 }, { ms: 1.5 }, { min: 1 }, { ms: 1, min: 1, max: 2 }])
      expect(delayProblem(contract, value)).toMatch(OUT_OF_RANGE);
  });
});

describe("every reader of a delay agrees", () => {
  it("serve --delay takes what the parser and the check take, and refuses the rest", () => {
    expect(delayFrom("100-400", "--delay")).toEqual({ min: 100, max: 400 });
    for (const text of ["400-100", "60001", "x"])
      expect(() => delayFrom(text, "--delay")).toThrow(
        `--delay must be milliseconds up to 60000, e.g. 250, or a range such as 100-400 (received "${text}").`,
      );
  });

  it("createFake's delay and a fault's delay refuse a reversed range in the same words", () => {
    expect(() => createFake({ delay: { min: 9, max: 1 } })).toThrow("delay: delay.min must not be more than delay.max");
    expect(() => createFake().faults.add({ delay: { min: 9, max: 1 } })).toThrow("delay.min must not be more than delay.max");
  });

  it("a range picks between its ends, both included", () => {
    expect(delayLength({ min: 10, max: 20 }, () => 0)).toBe(10);
    expect(delayLength({ min: 10, max: 20 }, () => 0.9999)).toBe(20);
    expect(delayLength({ ms: 7 })).toBe(7);
    expect(delayLength(undefined)).toBeUndefined();
  });
});
