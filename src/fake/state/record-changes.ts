/**
 * @module fake/state/record-changes
 * What an admin write would do to the state, decided before anything changes: the collections it replaces (new
 * arrays; the old ones are untouched), or why it is refused. The state it would leave must still be a valid
 * fixture set (schema, unique ids, emails and phones, references that resolve). Plain functions over the state.
 */
import type { Contract } from "../../contract/contract.js";
import { checkState, formatStateIssues } from "./check-state.js";
import { COLLECTIONS, type Collection, type FixtureSet } from "./types.js";

export type StoredRecord = { id: string } & Record<string, unknown>;

export type RecordChange =
  | { ok: true; next: Partial<FixtureSet>; record: StoredRecord; removed: string[] }
  | { ok: false; failure: "notFound" }
  | { ok: false; failure: "invalid"; detail: string };

const recordsOf = (state: FixtureSet, collection: Collection) => state[collection] as unknown as StoredRecord[];

/** POST: the record (its id included) is added at the end of its collection. */
export function planCreate(contract: Contract, state: FixtureSet, collection: Collection, record: StoredRecord): RecordChange {
  const next = [...recordsOf(state, collection), record];
  return checked(contract, state, { [collection]: next }, record, []);
}

/** PATCH merges the fields sent into the record; PUT replaces it. Either way the id stays the path's. */
export function planUpdate(
  contract: Contract,
  state: FixtureSet,
  collection: Collection,
  id: string,
  fields: Record<string, unknown>,
  mode: "patch" | "replace",
): RecordChange {
  const records = recordsOf(state, collection);
  const index = records.findIndex((r) => r.id === id);
  if (index < 0) return { ok: false, failure: "notFound" };
  const record = (mode === "patch" ? { ...records[index], ...fields, id } : { id, ...fields }) as StoredRecord;
  const next = records.map((r, i) => (i === index ? record : r));
  return checked(contract, state, { [collection]: next }, record, []);
}

/**
 * DELETE removes the record and, as json-server does, the records whose `<singular>Id` names it (a user's cases, an
 * organization's keys and cases). Refused if what remains would point at nothing (users of a deleted organization).
 */
export function planDelete(contract: Contract, state: FixtureSet, collection: Collection, id: string): RecordChange {
  const records = recordsOf(state, collection);
  const record = records.find((r) => r.id === id);
  if (!record) return { ok: false, failure: "notFound" };
  const foreignKey = `${collection.replace(/s$/, "")}Id`;
  const next: Partial<Record<Collection, StoredRecord[]>> = { [collection]: records.filter((r) => r !== record) };
  const removed: string[] = [];
  for (const other of COLLECTIONS) {
    if (other === collection) continue;
    const kept = recordsOf(state, other).filter((r) => {
      if (r[foreignKey] !== id) return true;
      removed.push(`${other}/${r.id}`);
      return false;
    });
    if (kept.length !== state[other].length) next[other] = kept;
  }
  const change = checked(contract, state, next as Partial<FixtureSet>, record, removed);
  return change.ok || change.failure !== "invalid" ? change : { ...change, detail: `deleting it would leave ${change.detail}` };
}

function checked(contract: Contract, state: FixtureSet, next: Partial<FixtureSet>, record: StoredRecord, removed: string[]): RecordChange {
  const issues = checkState(contract, { ...state, ...next });
  if (issues.length > 0) return { ok: false, failure: "invalid", detail: formatStateIssues(issues) };
  return { ok: true, next, record, removed };
}
