// What a persisted fake keeps on disk, read as its next start would: the snapshot with its change log replayed.
import { readPersistedState } from "../../src/fake/state/state-file.js";
import type { FixtureSet } from "../../src/index.js";

export function onDisk(file: string): FixtureSet {
  const state = readPersistedState(file);
  if (!state) throw new Error(`no state file at ${file}`);
  return state;
}
