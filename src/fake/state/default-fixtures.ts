/**
 * @module fake/state/default-fixtures
 * "The defaults plus mine": your own organizations, keys, users and cases added to the built-in fixtures, so a test
 * keeps every account docs/fake.md and the conformance target file name, and adds its own.
 */
import { readFileSync } from "node:fs";
import { DEFAULT_FIXTURES_PATH } from "./load-fixtures.js";
import { COLLECTIONS, type FixtureSet } from "./types.js";

/** A fresh copy of the built-in fixtures (fixtures/default.json). */
export function defaultFixtures(): FixtureSet {
  return JSON.parse(readFileSync(DEFAULT_FIXTURES_PATH, "utf8")) as FixtureSet;
}

/**
 * The built-in fixtures with each collection of `mine` appended. Ids, emails and phone numbers must stay unique
 * across both: the fake refuses to start otherwise, naming the clash.
 *
 * @example
 * const fake = createFake({ fixtures: withDefaultFixtures({ users: [{ id: "u-mine", email: "me@example.com", … }] }) });
 */
export function withDefaultFixtures(mine: Partial<FixtureSet>): FixtureSet {
  const fixtures = defaultFixtures();
  for (const collection of COLLECTIONS) {
    const added = mine[collection];
    if (added) (fixtures[collection] as unknown[]).push(...structuredClone(added));
  }
  return fixtures;
}
