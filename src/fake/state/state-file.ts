/**
 * @module fake/state/state-file
 * Opt-in persistence (--persist FILE): a snapshot (FILE, the state as a fixtures file) and a change log beside it
 * (FILE.log, one JSON line per change since that snapshot: see change-log). A change costs one appended line, flushed
 * before it is answered; the snapshot is rewritten only when the log has grown past a size, at a reset and at a clean
 * stop (compaction). Every whole-file write goes to a temp file that is written to the last byte, flushed and renamed,
 * so a process killed at any moment, or a full disk, leaves a snapshot and a log that together hold every change that
 * was answered, never a torn one. A lock file keeps a second fake server off the same state file, through symlinks
 * too. A state file changed on disk by someone else is never silently overwritten, and once the fake is stopping it
 * writes nothing more.
 *
 * Compaction, in an order that a crash between any two steps survives: (1) the next log, empty, is written as
 * FILE.log.next naming the new snapshot; (2) the new snapshot replaces FILE; (3) FILE.log.next replaces FILE.log. At
 * start, a log that names the snapshot is replayed; if it names another one and FILE.log.next names this one, the
 * crash came between (2) and (3), and the next log is taken.
 */
import {
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
  openSync,
  closeSync,
  type BigIntStats,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { ChangeLog, readChangeLog, sameSnapshot, snapshotIdOf, type SnapshotId } from "./change-log.js";
import { flushFolder, replaceFile, stateFileIo, StateFileError, writeFailure } from "./durable-io.js";
import { ReplayIndex } from "./state-changes.js";
import type { FixtureSet } from "./types.js";

export { stateFileIo, StateFileError };

/** State files this process holds: a second server in the same process is refused too. */
const HELD = new Set<string>();

export interface OpenedStateFile {
  file: StateFile;
  /** The snapshot with the log's changes replayed, or undefined when there was no state file yet. */
  contents: unknown;
  /** How many changes of the log were replayed, and how many bytes of a torn last line were dropped. */
  replayed: number;
  tornBytes: number;
}

/** What the snapshot looked like after this process last read or wrote it. */
type Fingerprint = { ino: bigint; size: bigint; mtimeNs: bigint } | undefined;

export const CHANGED_ON_DISK =
  "the state file changed on disk since the fake last wrote it: restart the fake to load it, or POST /__admin/reset to go back to the fixtures";

const STOPPING = "the fake server is stopping: it writes nothing more";

export class StateFile {
  /** The real path of the snapshot (symlinks followed). */
  readonly path: string;
  /** The change log beside it. */
  readonly logPath: string;
  private readonly lockPath: string;
  private readonly tempPath: string;
  private readonly nextLogPath: string;
  private released = false;
  private known: Fingerprint;
  private log: ChangeLog | undefined;
  private snapshotSize = 0;
  /** Set when a compaction stopped between its steps: nothing more is written until a restart. */
  private broken: string | undefined;

  private constructor(path: string) {
    this.path = followSymlinks(path);
    this.lockPath = `${this.path}.lock`;
    this.tempPath = `${this.path}.${process.pid}.tmp`;
    this.logPath = `${this.path}.log`;
    this.nextLogPath = `${this.logPath}.next`;
  }

  /** Locks the file, removes temp files a killed process left, reads the snapshot and replays the log. */
  static open(path: string): OpenedStateFile {
    const file = new StateFile(path);
    file.lock();
    try {
      file.removeLeftoverTemps();
      return { file, ...file.load() };
    } catch (error) {
      file.release();
      throw error;
    }
  }

  /** Bytes of the snapshot and of the change log, as they are on disk now. */
  get sizes(): { snapshot: number; log: number } {
    return { snapshot: this.snapshotSize, log: this.log?.bytes ?? 0 };
  }

  /**
   * Appends changes (one JSON line each), to be flushed with `flushLog`. Refuses when the state file or its log
   * changed on disk since this process last saw them. Throws a StateFileError whose `detail` carries no path; on any
   * failure none of the lines counts.
   */
  append(lines: readonly string[]): { cutBack(): void } {
    this.refuseIfCannotWrite(false);
    return this.openLog().write(lines);
  }

  /** Flushes the appended changes to disk, off the event loop. */
  flushLog(done: (error?: StateFileError) => void): void {
    this.openLog().flush(done);
  }

  /** Flushes the appended changes to disk now. */
  flushLogSync(): void {
    this.openLog().flushSync();
  }

  private openLog(): ChangeLog {
    if (!this.log) throw new StateFileError(this.broken ?? "the state file has no change log open (a bug of the fake server)");
    return this.log;
  }

  /**
   * Writes the whole state as the new snapshot with an empty log (see the module's comment for the order). With
   * `overwrite` (a reset, asked for by the user) a state file changed on disk is replaced too. On a failure before the
   * snapshot is replaced nothing has changed on disk, and the old snapshot and log still hold every change.
   */
  compact(state: unknown, { overwrite = false }: { overwrite?: boolean } = {}): void {
    this.refuseIfCannotWrite(overwrite);
    const bytes = Buffer.from(JSON.stringify(state, null, 1));
    const snapshot = snapshotIdOf(bytes);
    let written: BigIntStats;
    try {
      replaceFile(this.nextLogPath, `${this.nextLogPath}.${process.pid}.tmp`, ChangeLog.header(this.nextLogPath, snapshot), removeQuietly);
      written = replaceFile(this.path, this.tempPath, bytes, removeQuietly);
    } catch (error) {
      removeQuietly(this.nextLogPath);
      throw writeFailure("write", this.path, error);
    }
    this.known = { ino: written.ino, size: written.size, mtimeNs: written.mtimeNs };
    this.snapshotSize = bytes.length;
    this.log?.close();
    this.log = undefined;
    try {
      stateFileIo.renameSync(this.nextLogPath, this.logPath);
      flushFolder(this.logPath);
      this.log = ChangeLog.openToAppend(this.logPath, undefined);
    } catch (error) {
      // The snapshot holds everything; only the log is missing. A restart takes FILE.log.next (see open).
      const failure = writeFailure("write", this.logPath, error);
      this.broken = `${failure.detail}; restart the fake server`;
      throw new StateFileError(failure.message, this.broken);
    }
  }

  /** Releases the lock. After this the file is never written again by this process. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.log?.close();
    HELD.delete(this.path);
    rmSync(this.lockPath, { force: true });
  }

  private refuseIfCannotWrite(overwrite: boolean): void {
    if (this.released) throw new StateFileError(STOPPING);
    if (this.broken) throw new StateFileError(this.broken);
    if (!overwrite && this.changedOnDisk()) throw new StateFileError(`${CHANGED_ON_DISK} (${this.path})`, CHANGED_ON_DISK);
  }

  private changedOnDisk(): boolean {
    let now: BigIntStats | undefined;
    try {
      now = statSync(this.path, { bigint: true, throwIfNoEntry: false });
      if (this.log?.changedOnDisk()) return true;
    } catch (error) {
      throw writeFailure("check", this.path, error);
    }
    if (!now || !this.known) return now !== this.known;
    return now.ino !== this.known.ino || now.size !== this.known.size || now.mtimeNs !== this.known.mtimeNs;
  }

  /** The snapshot, parsed, with the log that belongs to it replayed and opened to append to. */
  private load(): Omit<OpenedStateFile, "file"> {
    const bytes = this.readSnapshot();
    if (bytes === undefined) {
      // No state file (or deleted to start again from the fixtures): a log left beside it belongs to nothing.
      removeQuietly(this.logPath);
      removeQuietly(this.nextLogPath);
      return { contents: undefined, replayed: 0, tornBytes: 0 };
    }
    let contents: unknown;
    try {
      contents = JSON.parse(bytes.toString("utf8"));
    } catch (error) {
      throw new StateFileError(
        `Failed to load the state file ${this.path}: it is not valid JSON (${(error as Error).message}). ` +
          "It was left as it is. Restore it, or delete it to start again from the fixtures.",
      );
    }
    this.snapshotSize = bytes.length;
    const snapshot = snapshotIdOf(bytes);
    const log = this.logFor(snapshot);
    if (log.changes.length > 0) this.replay(contents, log.changes);
    this.log =
      log.validBytes === undefined
        ? ChangeLog.create(this.logPath, snapshot, `${this.logPath}.${process.pid}.tmp`, removeQuietly)
        : ChangeLog.openToAppend(this.logPath, log.validBytes);
    removeQuietly(this.nextLogPath);
    return { contents, replayed: log.changes.length, tornBytes: log.tornBytes };
  }

  /** The changes that apply to this snapshot; `validBytes` undefined when a new log must be started. */
  private logFor(snapshot: SnapshotId): { changes: unknown[]; validBytes: number | undefined; tornBytes: number } {
    const log = readChangeLog(this.logPath);
    if (log && sameSnapshot(log.snapshot, snapshot)) return log;
    const next = readChangeLog(this.nextLogPath);
    if (next && sameSnapshot(next.snapshot, snapshot)) {
      // Killed between the two renames of a compaction: the snapshot holds the old log's changes.
      renameSync(this.nextLogPath, this.logPath);
      return next;
    }
    if (!log || log.changes.length === 0) return { changes: [], validBytes: undefined, tornBytes: 0 };
    throw new StateFileError(
      `Failed to open the state file ${this.path}: its change log ${this.logPath} holds ${log.changes.length} changes made to another ` +
        "version of the state file (was the state file replaced while the fake server was running?). Both were left as they are. " +
        `Restore the state file, or delete ${this.logPath} to keep the state file as it is (those changes are then lost).`,
    );
  }

  private replay(contents: unknown, changes: unknown[]): void {
    const state = contents as FixtureSet;
    const collectionsOk =
      typeof state === "object" &&
      state !== null &&
      ["organizations", "apiKeys", "users", "cases"].every((c) => Array.isArray((state as Record<string, unknown>)[c]));
    if (!collectionsOk) return; // the caller's check of the state names what is wrong with the snapshot
    const index = new ReplayIndex(state);
    changes.forEach((change, line) => {
      try {
        index.apply(change);
      } catch (error) {
        throw new StateFileError(
          `Failed to load the change log ${this.logPath}: line ${line + 2} cannot be applied (${(error as Error).message}). ` +
            `Both files were left as they are. Restore them, or delete ${this.logPath} to keep only the snapshot (its changes are then lost).`,
        );
      }
    });
  }

  private readSnapshot(): Buffer | undefined {
    let fd: number;
    try {
      fd = openSync(this.path, "r");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new StateFileError(`Failed to read the state file ${this.path}: ${(error as Error).message}.`);
    }
    try {
      const stat = stateFileIo.fstatSync(fd, { bigint: true });
      this.known = { ino: stat.ino, size: stat.size, mtimeNs: stat.mtimeNs };
      return readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private lock(): void {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(this.lockPath, "wx");
        writeSync(fd, String(process.pid));
        closeSync(fd);
        HELD.add(this.path);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        const owner = Number(readFileSync(this.lockPath, "utf8"));
        if (owner === process.pid ? HELD.has(this.path) : isAlive(owner)) {
          throw new StateFileError(
            `Failed to open the state file ${this.path}: another fake server (pid ${owner}) is using it. ` +
              "Stop that process (or close that fake), or use another state file (--persist, or the persist option).",
          );
        }
        rmSync(this.lockPath, { force: true }); // left by a process that died: take it over
      }
    }
    throw new StateFileError(`Failed to lock the state file ${this.path}: ${this.lockPath} keeps coming back.`);
  }

  private removeLeftoverTemps(): void {
    const prefix = `${basename(this.path)}.`;
    for (const name of readdirSync(dirname(this.path))) {
      if (name.startsWith(prefix) && name.endsWith(".tmp")) rmSync(join(dirname(this.path), name), { force: true });
    }
  }
}

const removeQuietly = (path: string) => rmSync(path, { force: true });

/**
 * The real path of a state file, following symlinks even when their target does not exist yet: the lock, the temp
 * file and the rename then all work on the target, so a link and its target are one state file, and the link stays.
 */
function followSymlinks(path: string): string {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let isLink: boolean;
    try {
      isLink = lstatSync(current).isSymbolicLink();
    } catch {
      // Not there yet: its folder may itself be reached through a link.
      try {
        return join(realpathSync(dirname(current)), basename(current));
      } catch {
        return current; // the folder is missing too: the first write will say so
      }
    }
    if (!isLink) return realpathSync(current);
    current = resolve(dirname(current), readlinkSync(current));
  }
  throw new StateFileError(`Failed to open the state file ${path}: more than 40 symbolic links to follow.`);
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The state a state file holds, read as the next start would (snapshot, with the log that belongs to it replayed),
 * without locking or writing anything: for a person or a test looking at what a running or killed fake kept.
 */
export function readPersistedState(path: string): FixtureSet | undefined {
  const real = followSymlinks(path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(real);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const state = JSON.parse(bytes.toString("utf8")) as FixtureSet;
  const snapshot = snapshotIdOf(bytes);
  const log = [readChangeLog(`${real}.log`), readChangeLog(`${real}.log.next`)].find((candidate) => sameSnapshot(candidate?.snapshot, snapshot));
  if (log) {
    const index = new ReplayIndex(state);
    for (const change of log.changes) index.apply(change);
  }
  return state;
}
