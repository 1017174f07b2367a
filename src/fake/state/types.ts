/**
 * @module fake/state/types
 * The fake's state, typed from the schemas openapi.yaml gives for it (FixtureSet and its records).
 */
import type { components } from "../../generated/openapi.js";

/** What a fixtures file holds (FixtureSet in openapi.yaml): the records and, optionally, the answers section. */
export type Fixtures = components["schemas"]["FixtureSet"];
/** The fake's state: the records of the fixtures. The answers section is configuration, read at start, not state. */
export type FixtureSet = Omit<Fixtures, "answers">;
export type FixtureAnswers = components["schemas"]["FixtureAnswers"];
export type AlignedAnswer = components["schemas"]["AlignedAnswer"];
export type Organization = components["schemas"]["Organization"];
export type ApiKey = components["schemas"]["ApiKey"];
export type StoredUser = components["schemas"]["StoredUser"];
export type Case = components["schemas"]["Case"];
export type CaseStatus = components["schemas"]["CaseStatus"];
export type UpdateProfileData = components["schemas"]["UpdateProfileData"];
export type User = components["schemas"]["User"];

export type Collection = keyof FixtureSet;
export const COLLECTIONS: readonly Collection[] = ["organizations", "apiKeys", "users", "cases"];

export function isCollection(name: string): name is Collection {
  return (COLLECTIONS as readonly string[]).includes(name);
}
