/**
 * @module fake/state/change-log
 * The append-only half of persistence (`<state file>.log`): a header line naming the snapshot its changes apply to
 * (the snapshot's SHA-256 and size), then one JSON line per accepted change. A batch of lines is written to its last
 * byte and flushed (fdatasync) before anyone is answered; a batch that cannot be written or flushed whole is cut off
 * again, so the log never keeps a change that was refused. Only lines that end in a newline count: a torn last line (a crash
 * in the middle of an append) was never answered, and is dropped.
 */
import { createHash } from "node:crypto";
import { closeSync, readFileSync, statSync, type BigIntStats } from "node:fs";
import { replaceFile, stateFileIo, StateFileError, writeAll, writeFailure } from "./durable-io.js";

/** Which snapshot a log belongs to. */
export interface SnapshotId {
  sha256: string;
  bytes: number;
}

export const snapshotIdOf = (bytes: Buffer): SnapshotId => ({ sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length });
export const sameSnapshot = (a: SnapshotId | undefined, b: SnapshotId | undefined) => !!a && !!b && a.sha256 === b.sha256 && a.bytes === b.bytes;

export interface LogContents {
  snapshot: SnapshotId | undefined;
  /** The changes, parsed, in order. */
  changes: unknown[];
  /** Bytes up to the last newline: what counts. */
  validBytes: number;
  /** Bytes after it: a torn last line, dropped. */
  tornBytes: number;
}

/** Reads a change log; undefined when there is none. A line that ends in a newline and is not JSON is corruption. */
export function readChangeLog(path: string): LogContents | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new StateFileError(`Failed to read the change log ${path}: ${(error as Error).message}.`);
  }
  const validBytes = bytes.lastIndexOf(0x0a) + 1;
  const lines = bytes.subarray(0, validBytes).toString("utf8").split("\n");
  lines.pop(); // after the last newline
  const parsed = lines.map((line, index) => {
    try {
      return JSON.parse(line) as unknown;
    } catch {
      throw new StateFileError(
        `Failed to load the change log ${path}: line ${index + 1} is not valid JSON. It was left as it is. ` +
          "Restore it, or delete it to keep only the snapshot (the changes it held are then lost).",
      );
    }
  });
  const header = parsed.shift() as { changeLogOf?: unknown; snapshot?: SnapshotId } | undefined;
  const snapshot = header && typeof header.snapshot?.sha256 === "string" && typeof header.snapshot.bytes === "number" ? header.snapshot : undefined;
  return { snapshot, changes: parsed, validBytes, tornBytes: bytes.length - validBytes };
}

type Fingerprint = { ino: bigint; size: bigint; mtimeNs: bigint };
const fingerprintOf = (stat: BigIntStats): Fingerprint => ({ ino: stat.ino, size: stat.size, mtimeNs: stat.mtimeNs });

export class ChangeLog {
  private known: Fingerprint;

  private constructor(
    readonly path: string,
    private readonly fd: number,
  ) {
    this.known = fingerprintOf(stateFileIo.fstatSync(fd, { bigint: true }));
  }

  /** Bytes in the log now (header included). */
  get bytes(): number {
    return Number(this.known.size);
  }

  /** A new log for a snapshot, written whole and renamed into place (so a crash leaves the old log or the new one). */
  static create(path: string, snapshot: SnapshotId, tempPath: string, removeTemp: (path: string) => void): ChangeLog {
    replaceFile(path, tempPath, ChangeLog.header(path, snapshot), removeTemp);
    return ChangeLog.openToAppend(path, undefined);
  }

  /** The header line a new log starts with. */
  static header(path: string, snapshot: SnapshotId): Buffer {
    const name = path.slice(path.lastIndexOf("/") + 1).replace(/\.log(\.next)?$/, "");
    return Buffer.from(`${JSON.stringify({ changeLogOf: name, snapshot })}\n`);
  }

  /** Opens an existing log to append to it, first cutting off a torn last line (`validBytes` of it count). */
  static openToAppend(path: string, validBytes: number | undefined): ChangeLog {
    const fd = stateFileIo.openSync(path, "a", 0o600);
    try {
      if (validBytes !== undefined && validBytes < Number(stateFileIo.fstatSync(fd, { bigint: true }).size)) {
        stateFileIo.ftruncateSync(fd, validBytes);
        stateFileIo.fsyncSync(fd);
      }
      return new ChangeLog(path, fd);
    } catch (error) {
      stateFileIo.closeSync(fd);
      throw writeFailure("open", path, error);
    }
  }

  /**
   * Appends the lines, without flushing them yet (see `flush`). If any byte fails, the log is cut back to where it
   * was, so none of them counts, and the error (a StateFileError) is thrown. Returns how to cut them off again (if
   * their flush fails).
   */
  write(lines: readonly string[]): { cutBack(): void } {
    const before = this.known.size;
    try {
      writeAll(this.fd, Buffer.from(lines.join("\n") + "\n"));
    } catch (error) {
      const failure = writeFailure("write", this.path, error);
      this.cutBack(before, failure);
      throw failure;
    } finally {
      this.refreshFingerprint();
    }
    return { cutBack: () => this.cutBack(before, undefined) };
  }

  /** Flushes what was written to disk (fdatasync), off the event loop; `done` gets a StateFileError if it failed. */
  flush(done: (error?: StateFileError) => void): void {
    stateFileIo.fdatasync(this.fd, (error) => done(error ? writeFailure("write", this.path, error) : undefined));
  }

  /** The same, now. Throws a StateFileError. */
  flushSync(): void {
    try {
      stateFileIo.fdatasyncSync(this.fd);
    } catch (error) {
      throw writeFailure("write", this.path, error);
    }
  }

  private cutBack(size: bigint, failure: StateFileError | undefined): void {
    try {
      stateFileIo.ftruncateSync(this.fd, Number(size));
    } catch (cut) {
      console.error(`[cv-contract-kit] could not cut the change log ${this.path} back after a failed write: ${(cut as Error).message}`);
      const detail = `${failure?.detail ?? "could not write the state file"}; the change log could not be cut back: restart the fake`;
      throw new StateFileError(failure?.message ?? detail, detail);
    } finally {
      this.refreshFingerprint();
    }
  }

  private refreshFingerprint(): void {
    try {
      this.known = fingerprintOf(stateFileIo.fstatSync(this.fd, { bigint: true }));
    } catch {
      // the fd is gone (the fake is closing): nothing more is written through it
    }
  }

  /** Whether someone else wrote, replaced or removed the log since this process last did. */
  changedOnDisk(): boolean {
    const now = statSync(this.path, { bigint: true, throwIfNoEntry: false });
    return !now || now.ino !== this.known.ino || now.size !== this.known.size || now.mtimeNs !== this.known.mtimeNs;
  }

  close(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}
