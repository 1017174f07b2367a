/**
 * @module fake/state/load-fixtures
 * Reads a fixtures file and refuses a bad one with a message naming the file and the JSON path.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Contract } from "../../contract/contract.js";
import { checkState, formatStateIssues } from "./check-state.js";
import type { FixtureSet } from "./types.js";

/** The built-in fixtures, used when none are given. */
export const DEFAULT_FIXTURES_PATH = fileURLToPath(new URL("../../../fixtures/default.json", import.meta.url));

export class FixtureError extends Error {
  override name = "FixtureError";
}

export function loadFixturesFile(contract: Contract, path: string): FixtureSet {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new FixtureError(`Failed to load fixtures ${path}: ${(error as Error).message}. Pass an existing file with --fixtures.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FixtureError(`Failed to load fixtures ${path}: not valid JSON (${(error as Error).message}).`);
  }
  return checkFixtures(contract, value, path);
}

/** Checks fixtures given as a value; `source` names them in the error. */
export function checkFixtures(contract: Contract, value: unknown, source: string): FixtureSet {
  const issues = checkState(contract, value);
  if (issues.length > 0) {
    throw new FixtureError(`Failed to load fixtures ${source}: ${formatStateIssues(issues)}. See FixtureSet in openapi.yaml for the format.`);
  }
  return value as FixtureSet;
}
