/**
 * @module fake/state/fake-store
 * The fake's state: one plain object in the fixtures' format (the admin API's json-server reads see the same
 * object), indexed for the rules. Every change is checked and applied in one synchronous call, so no other request
 * runs in between. With persistence, the change is also queued as one line of the state file's change log: the
 * changes made in the same turn of the event loop are appended together, and flushed off the event loop while the
 * next ones gather (group commit); each is answered only once its line is on disk. If the append or its flush fails,
 * every change of that batch (and of the batch decided after it) is undone, last first, only what each touched, and
 * each is answered 503; nothing of it stays on disk.
 */
import type { ProfilePatch } from "../rules/profile-patch.js";
import { StateFileError, type StateFile } from "./state-file.js";
import { changesBetween } from "./state-changes.js";
import { StateIndex } from "./state-index.js";
import type { FixtureSet, StoredUser } from "./types.js";

export type CommitResult = { ok: true } | { ok: false; detail: string };
/** A change's outcome: at once (no persistence, or refused before it was queued), or once its batch is on disk. */
export type Commit = CommitResult | Promise<CommitResult>;

const OK: CommitResult = { ok: true };

/**
 * Compaction: a new snapshot once the log is larger than half the snapshot (so snapshot, log and the temp copy of
 * the next snapshot stay within 3× the snapshot on disk), and not before the log holds this much.
 */
export const MIN_LOG_LIMIT = 64 * 1024;

interface Batch {
  lines: string[];
  undo: Array<() => void>;
  done: Promise<CommitResult>;
  settle: (result: CommitResult) => void;
}

export interface PersistOptions {
  /** Bytes of change log after which a new snapshot is written (default: half the snapshot's size, 64 KiB at least). */
  logLimit?: number;
  /** Changes the log held at start (replayed). */
  replayed?: number;
}

export class FakeStore {
  private index: StateIndex | undefined;
  /** The changes gathering for the next append. */
  private batch: Batch | undefined;
  /** The batch appended and being flushed. */
  private inFlight: { batch: Batch; cutBack: () => void } | undefined;
  private compaction: { scheduled: boolean; retryAt: number } = { scheduled: false, retryAt: 0 };
  private closed = false;
  /** Lines in the change log since the last snapshot (a clean stop with none writes no snapshot). */
  private linesSinceSnapshot: number;

  constructor(
    /** The one place the state lives. */
    private current: FixtureSet,
    /** A fresh copy of the fixtures, for reset (see load-fixtures). */
    private readonly reloadFixtures: () => FixtureSet,
    private readonly stateFile?: StateFile,
    private readonly persistOptions: PersistOptions = {},
  ) {
    this.linesSinceSnapshot = persistOptions.replayed ?? 0;
  }

  /** The state file's path, with persistence. */
  get stateFilePath(): string | undefined {
    return this.stateFile?.path;
  }

  get state(): FixtureSet {
    return this.current;
  }

  /** The lookups the rules use; rebuilt lazily after an admin write or a reset. */
  view(): StateIndex {
    this.index ??= new StateIndex(this.current);
    return this.index;
  }

  /** The last batch of changes on its way to disk, if any: an answer that read the state waits for it. */
  pending(): Promise<CommitResult> | undefined {
    return (this.batch ?? this.inFlight?.batch)?.done;
  }

  /** Applies a decided patch to one user, all fields at once; with persistence, settled once its line is on disk. */
  commitProfilePatch(user: StoredUser, patch: ProfilePatch): Commit {
    const fields = Object.keys(patch);
    if (fields.length === 0) return OK; // an email-only request reads the profile: nothing to write
    const record = user as unknown as Record<string, unknown>;
    const before = fields.map((field) => record[field]);
    const phoneAt = fields.indexOf("phoneNumber");
    Object.assign(user, patch);
    if (phoneAt >= 0) this.index?.phoneChanged(user, before[phoneAt] as string | null | undefined);
    if (!this.stateFile) return OK;
    return this.enqueue(JSON.stringify({ op: "set", collection: "users", id: user.id, fields: patch }), () => {
      fields.forEach((field, i) => {
        if (before[i] === undefined) delete record[field];
        else record[field] = before[i];
      });
      if (phoneAt >= 0) this.index?.phoneChanged(user, (patch as Record<string, string | null>).phoneNumber);
    });
  }

  /**
   * An admin write: replaces whole collections (already checked by the caller, in the same tick). The log gets the
   * records that changed, as one line. If it cannot be written, exactly those collections are put back.
   */
  commitCollections(next: Partial<FixtureSet>): Commit {
    const current = this.current;
    const before = Object.fromEntries(Object.keys(next).map((name) => [name, current[name as keyof FixtureSet]])) as Partial<FixtureSet>;
    const changes = this.stateFile ? changesBetween(current, next) : [];
    this.replace({ ...current, ...next });
    if (!this.stateFile || changes.length === 0) return OK;
    return this.enqueue(JSON.stringify(changes.length === 1 ? changes[0] : changes), () => this.replace({ ...this.current, ...before }));
  }

  /** Back to the fixtures the fake started with (overwrites a state file changed on disk: the user asked for it). */
  reset(): CommitResult {
    this.flush(); // the changes before the reset are answered first
    let fixtures: FixtureSet;
    try {
      fixtures = this.reloadFixtures();
    } catch (error) {
      console.error(`[cv-contract-kit] reset: ${(error as Error).message}`);
      return { ok: false, detail: (error as { detail?: string }).detail ?? "the fixtures could not be read again (see the fake server's log)" };
    }
    const before = this.current;
    this.replace(fixtures);
    const saved = this.snapshot({ overwrite: true });
    if (!saved.ok) this.replace(before);
    return saved;
  }

  /** The first start with a new state file: write it at once, or refuse to start. */
  saveInitial(): void {
    const saved = this.snapshot();
    if (!saved.ok) throw new StateFileError(`Failed to create the state file ${this.stateFile?.path}: ${saved.detail}`);
  }

  /**
   * Writes the queued changes and starts their flush, off the event loop: the next changes gather meanwhile, and go
   * in the next batch as soon as this one is on disk (group commit). Their answers are settled when it is.
   */
  private startFlush(): void {
    const batch = this.batch;
    if (!batch || !this.stateFile || this.inFlight) return;
    this.batch = undefined;
    let written: { cutBack(): void };
    try {
      written = this.stateFile.append(batch.lines);
    } catch (error) {
      return this.fail(batch, error);
    }
    this.inFlight = { batch, cutBack: written.cutBack };
    this.stateFile.flushLog((error) => {
      if (this.inFlight?.batch === batch) this.finishFlush(error); // else already finished by `flush()`
    });
  }

  /** The batch in flight is on disk (or not: then it, and the changes decided after it, are undone). */
  private finishFlush(error?: unknown): void {
    const { batch, cutBack } = this.inFlight!;
    this.inFlight = undefined;
    if (error !== undefined) {
      let failure: unknown = error;
      try {
        cutBack();
      } catch (cut) {
        failure = cut;
      }
      const later = this.batch; // decided over this batch's changes: undone first, and refused with it
      this.batch = undefined;
      if (later) this.fail(later, failure);
      return this.fail(batch, failure);
    }
    batch.settle(OK);
    this.linesSinceSnapshot += batch.lines.length;
    if (this.batch) this.startFlush();
    this.compactWhenDue();
  }

  /** Every queued change on disk now, and its answer settled: before a reset, a compaction and a stop. */
  flush(): void {
    if (!this.stateFile) return;
    if (this.inFlight) {
      try {
        this.stateFile.flushLogSync();
        this.finishFlush();
      } catch (error) {
        this.finishFlush(error);
      }
    }
    const batch = this.batch;
    if (!batch) return;
    this.batch = undefined;
    try {
      this.stateFile.append(batch.lines);
      this.stateFile.flushLogSync();
    } catch (error) {
      return this.fail(batch, error);
    }
    batch.settle(OK);
    this.linesSinceSnapshot += batch.lines.length;
  }

  /** A batch refused: its changes undone, last first (each puts back only what it touched), each answered 503. */
  private fail(batch: Batch, error: unknown): void {
    for (let i = batch.undo.length - 1; i >= 0; i--) batch.undo[i]!();
    batch.settle(failureOf(error));
  }

  /** Stops writing for good (the server is stopping): the last changes are written, then a snapshot, then the lock is released. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    if (this.stateFile && this.linesSinceSnapshot > 0) {
      const saved = this.snapshot();
      if (!saved.ok) console.error(`[cv-contract-kit] no snapshot at stop (the change log keeps every change): ${saved.detail}`);
    }
    this.stateFile?.release();
  }

  private replace(state: FixtureSet): void {
    this.current = state;
    this.index = undefined;
  }

  private enqueue(line: string, undo: () => void): Promise<CommitResult> {
    if (!this.batch) {
      let settle!: (result: CommitResult) => void;
      const done = new Promise<CommitResult>((resolve) => (settle = resolve));
      this.batch = { lines: [], undo: [], done, settle };
      setImmediate(() => this.startFlush()); // after every request this turn of the event loop has read
    }
    this.batch.lines.push(line);
    this.batch.undo.push(undo);
    return this.batch.done;
  }

  private get logLimit(): number {
    return this.persistOptions.logLimit ?? Math.max((this.stateFile?.sizes.snapshot ?? 0) / 2, MIN_LOG_LIMIT);
  }

  /** A new snapshot once the log has grown past its limit: soon, after the answers of this batch have left. */
  private compactWhenDue(): void {
    const { log } = this.stateFile!.sizes;
    if (this.compaction.scheduled || log <= Math.max(this.logLimit, this.compaction.retryAt)) return;
    this.compaction.scheduled = true;
    setImmediate(() => {
      this.compaction.scheduled = false;
      if (this.closed) return;
      this.flush();
      const saved = this.snapshot();
      // The log still holds every change: try again once it has grown by half its limit more.
      if (!saved.ok) this.compaction.retryAt = this.stateFile!.sizes.log + this.logLimit / 2;
      else this.compaction.retryAt = 0;
    });
  }

  private snapshot(options?: { overwrite?: boolean }): CommitResult {
    if (!this.stateFile) return OK;
    try {
      this.stateFile.compact(this.current, options);
      this.linesSinceSnapshot = 0;
      return OK;
    } catch (error) {
      return failureOf(error);
    }
  }
}

function failureOf(error: unknown): CommitResult {
  if (error instanceof StateFileError) return { ok: false, detail: error.detail };
  console.error("[cv-contract-kit] unexpected error while saving the state:", error);
  return { ok: false, detail: "unexpected error while saving the state (see the fake server's log)" };
}
