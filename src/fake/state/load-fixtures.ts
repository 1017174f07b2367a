/**
 * @module fake/state/load-fixtures
 * Reads a fixtures file and refuses a bad one with a message naming the file and the JSON path.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Contract } from "../../contract/contract.js";
import { checkState, formatStateIssues } from "./check-state.js";
import { collectGarbage, LARGE_FIXTURES } from "./collect-garbage.js";
import type { FixtureAnswers, Fixtures, FixtureSet } from "./types.js";

/** The built-in fixtures, used when none are given. */
export const DEFAULT_FIXTURES_PATH = fileURLToPath(new URL("../../../fixtures/default.json", import.meta.url));

export class FixtureError extends Error {
  override name = "FixtureError";
  /** The same problem without the file's path, fit for an HTTP answer (a failed reset); the log gets the message. */
  readonly detail: string;

  constructor(message: string, detail: string) {
    super(message);
    this.detail = detail;
  }
}

/**
 * Checked fixtures, and how to get a fresh copy for a reset: a file is read again (so no second copy of a large
 * fixture set stays in memory, and an edited file is picked up), fixtures given in code are kept as JSON text.
 */
export interface LoadedFixtures {
  state: FixtureSet;
  /** The answers section: how the fake answers where the page is silent (read once, at start). */
  answers: FixtureAnswers;
  reload(): FixtureSet;
  /** Whether the fixtures are large enough to collect the garbage of loading them (see collect-garbage). */
  large: boolean;
}

export function loadFixturesFile(contract: Contract, path: string): LoadedFixtures {
  const { value, large } = readJsonFile(path);
  if (large) collectGarbage(); // the text is garbage now: free it before the checks allocate
  const { answers = {}, ...state } = checkFixtures(contract, value, path);
  return { state, answers, reload: () => loadFixturesFile(contract, path).state, large };
}

/** Parses a JSON file. Kept apart so the file's text is garbage before the (allocating) checks run. */
function readJsonFile(path: string): { value: unknown; large: boolean } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new FixtureError(
      `Failed to load fixtures ${path}: ${(error as Error).message}. Pass an existing file with --fixtures.`,
      `the fixtures file could not be read (${code})`,
    );
  }
  const large = text.length >= LARGE_FIXTURES;
  if (large) collectGarbage(); // the bytes read are garbage now: free them before parsing allocates
  try {
    return { value: JSON.parse(text), large };
  } catch (error) {
    const detail = `the fixtures file is not valid JSON (${(error as Error).message})`;
    throw new FixtureError(`Failed to load fixtures ${path}: not valid JSON (${(error as Error).message}).`, detail);
  }
}

/** Fixtures given as a value: checked once, kept as text so that each reset gets a fresh copy. */
export function fixturesFromValue(contract: Contract, fixtures: Fixtures): LoadedFixtures {
  const text = JSON.stringify(fixtures);
  const { answers = {}, ...records } = checkFixtures(contract, JSON.parse(text), "(given in code)");
  return {
    state: records,
    answers,
    reload: () => {
      const { answers: _configuration, ...fresh } = JSON.parse(text) as Fixtures;
      return fresh;
    },
    large: text.length >= LARGE_FIXTURES,
  };
}

/** Checks fixtures given as a value; `source` names them in the error. */
export function checkFixtures(contract: Contract, value: unknown, source: string): Fixtures {
  const issues = checkState(contract, value);
  if (issues.length > 0) {
    const problems = formatStateIssues(issues);
    throw new FixtureError(
      `Failed to load fixtures ${source}: ${problems}. See FixtureSet in openapi.yaml for the format.`,
      `the fixtures are not valid: ${problems}`,
    );
  }
  return value as Fixtures;
}
