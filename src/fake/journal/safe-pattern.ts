/**
 * @module fake/journal/safe-pattern
 * Regular expressions a tester sends the fake (in a request matcher), compiled so that none can stall it: JavaScript
 * regexes have no time limit, so the shapes that backtrack exponentially (a repeated group that itself repeats or
 * alternates, `(a+)+`, `(a|aa)*`, and back-references) are refused before they run, and every text tested is cut
 * at PATTERN_SUBJECT_LIMIT.
 */

/** The longest regex source accepted (RequestMatcher's `matches` says the same). */
export const PATTERN_SOURCE_LIMIT = 200;
/** A regex is tested against at most this many characters of a value (journal bodies are cut at 8 KiB too). */
export const PATTERN_SUBJECT_LIMIT = 8 * 1024;

/** Compiles `source` (unicode mode), or says in words what is wrong with it. */
export function compileSafePattern(source: string): { ok: true; regex: RegExp } | { ok: false; problem: string } {
  if (source.length > PATTERN_SOURCE_LIMIT)
    return { ok: false, problem: `is ${source.length} characters long; at most ${PATTERN_SOURCE_LIMIT} are accepted` };
  let regex: RegExp;
  try {
    regex = new RegExp(source, "u");
  } catch (error) {
    return { ok: false, problem: `is not a regular expression (${(error as Error).message})` };
  }
  const unsafe = backtrackingShape(source);
  if (unsafe) return { ok: false, problem: `could take exponential time: ${unsafe}; write it without that` };
  return { ok: true, regex };
}

/** Tests a compiled pattern against the first PATTERN_SUBJECT_LIMIT characters of a text. */
export function patternFinds(regex: RegExp, text: string): boolean {
  return regex.test(text.length > PATTERN_SUBJECT_LIMIT ? text.slice(0, PATTERN_SUBJECT_LIMIT) : text);
}

/**
 * The first shape of `source` that can backtrack exponentially, if any: a back-reference, or a group that is
 * repeated (`*`, `+`, `{n,}`, `{n,m}` with m > 1) while it holds a repetition or an alternation. Conservative: it
 * refuses some harmless patterns (`(ab|cd)+`), never lets a nested repetition through.
 */
function backtrackingShape(source: string): string | undefined {
  // For each open group: whether it holds a repetition or an alternation.
  const groups: { risky: boolean; at: number }[] = [];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === "\\") {
      const next = source[i + 1] ?? "";
      if (!inClass && (/[1-9]/.test(next) || next === "k")) return `a back-reference (\\${next}…)`;
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") inClass = true;
    else if (c === "(") groups.push({ risky: false, at: i });
    else if (c === "|") {
      if (groups.length > 0) groups[groups.length - 1]!.risky = true;
    } else if (c === ")") {
      const group = groups.pop();
      const repeat = repetitionAt(source, i + 1);
      if (group && group.risky && repeat)
        return `the group ${source.slice(group.at, i + 1)} holds a repetition or alternation and is repeated by ${repeat}`;
      if ((group?.risky || repeat) && groups.length > 0) groups[groups.length - 1]!.risky = true;
    } else if (repetitionAt(source, i) && groups.length > 0) groups[groups.length - 1]!.risky = true;
  }
  return undefined;
}

/** The repetition operator starting at `i` (`*`, `+`, `{2,}`, `{1,5}`), if any; `?` and `{1}` repeat nothing. */
function repetitionAt(source: string, i: number): string | undefined {
  const c = source[i];
  if (c === "*" || c === "+") return c;
  if (c !== "{") return undefined;
  const braces = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
  if (!braces) return undefined;
  const max = braces[2] === undefined ? Number(braces[1]) : braces[3] === "" ? Infinity : Number(braces[3]);
  return max > 1 ? braces[0] : undefined;
}
