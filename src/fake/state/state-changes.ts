/**
 * @module fake/state/state-changes
 * One accepted change of the state, as the change log writes it (one JSON line each) and as a restart replays it:
 * the fields an update set on one record, records put (added at the end, or replaced where they are), or records
 * deleted. A change names what it touches by id, never by position, so the line is as long as the change, not as
 * long as the state. Plain functions over the state.
 */
import { COLLECTIONS, type Collection, type FixtureSet } from "./types.js";

export type StateChange =
  | { op: "set"; collection: Collection; id: string; fields: Record<string, unknown> }
  | { op: "put"; collection: Collection; records: Array<{ id: string } & Record<string, unknown>> }
  | { op: "delete"; collection: Collection; ids: string[] };

type StoredRecord = { id: string } & Record<string, unknown>;
const recordsOf = (state: FixtureSet, collection: Collection) => state[collection] as unknown as StoredRecord[];

/**
 * What replacing whole collections (an admin write) changed, found by identity: records the new arrays hold that the
 * old ones did not (added or replaced), and ids that are gone. Records left as they were cost a lookup, no bytes.
 */
export function changesBetween(before: FixtureSet, next: Partial<FixtureSet>): StateChange[] {
  const changes: StateChange[] = [];
  for (const collection of COLLECTIONS) {
    const after = next[collection] as unknown as StoredRecord[] | undefined;
    if (!after) continue;
    const old = new Set(recordsOf(before, collection));
    const put = after.filter((record) => !old.has(record));
    const kept = new Set(after.map((record) => record.id));
    const ids = recordsOf(before, collection)
      .filter((record) => !kept.has(record.id))
      .map((record) => record.id);
    if (ids.length > 0) changes.push({ op: "delete", collection, ids });
    if (put.length > 0) changes.push({ op: "put", collection, records: put });
  }
  return changes;
}

/** Ids to positions, per collection, built once for a whole replay. */
export class ReplayIndex {
  private readonly positions = new Map<Collection, Map<string, number>>();

  constructor(private readonly state: FixtureSet) {}

  /** Applies one line of the log (a change, or the changes of one admin write) in place; a problem is thrown. */
  apply(line: unknown): void {
    const changes = Array.isArray(line) ? line : [line];
    // Checked whole before any is applied: an admin write is replayed all or nothing.
    for (const change of changes) if (!isChange(change)) throw new Error(`not a change the fake writes: ${JSON.stringify(change).slice(0, 120)}`);
    for (const change of changes as StateChange[]) this.applyOne(change);
  }

  private applyOne(change: StateChange): void {
    const records = recordsOf(this.state, change.collection);
    const at = this.of(change.collection);
    switch (change.op) {
      case "set": {
        const index = at.get(change.id);
        if (index === undefined) throw new Error(`${change.collection}/${change.id} is not in the state`);
        Object.assign(records[index]!, change.fields);
        return;
      }
      case "put":
        for (const record of change.records) {
          const index = at.get(record.id);
          if (index === undefined) {
            at.set(record.id, records.length);
            records.push(record);
          } else records[index] = record;
        }
        return;
      case "delete": {
        const gone = new Set(change.ids);
        const keptRecords = records.filter((record) => !gone.has(record.id));
        (this.state as Record<Collection, unknown>)[change.collection] = keptRecords;
        this.positions.delete(change.collection); // positions moved: rebuilt when next needed
        return;
      }
    }
  }

  private of(collection: Collection): Map<string, number> {
    let map = this.positions.get(collection);
    if (!map) {
      map = new Map(recordsOf(this.state, collection).map((record, index) => [record.id, index]));
      this.positions.set(collection, map);
    }
    return map;
  }
}

function isChange(value: unknown): value is StateChange {
  if (typeof value !== "object" || value === null) return false;
  const change = value as Record<string, unknown>;
  if (!(COLLECTIONS as readonly unknown[]).includes(change.collection)) return false;
  const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  switch (change.op) {
    case "set":
      return typeof change.id === "string" && isObject(change.fields);
    case "put":
      return Array.isArray(change.records) && change.records.every((r) => isObject(r) && typeof (r as { id?: unknown }).id === "string");
    case "delete":
      return Array.isArray(change.ids) && change.ids.every((id) => typeof id === "string");
    default:
      return false;
  }
}
