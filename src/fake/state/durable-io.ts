/**
 * @module fake/state/durable-io
 * The file-system writes persistence makes, all through one seam: a whole file written to its last byte (a write may
 * take fewer bytes than asked), flushed, and renamed into place; bytes appended and flushed; and the error of a
 * failed write turned into words fit for an HTTP answer (no path) and for the log (with it).
 */
import {
  closeSync,
  fdatasync,
  fchmodSync,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  renameSync,
  writeSync,
  type BigIntStats,
} from "node:fs";
import { dirname } from "node:path";

/**
 * The calls a save makes, as a seam: tests replace `writeSync` to inject short writes and ENOSPC without a real full
 * disk. Nothing else should change these.
 */
export const stateFileIo = { openSync, writeSync, fsyncSync, fdatasync, fdatasyncSync, ftruncateSync, closeSync, renameSync, fstatSync };

export class StateFileError extends Error {
  override name = "StateFileError";
  /** The same problem in words fit for an HTTP answer: no file path (the log has it). */
  readonly detail: string;

  constructor(message: string, detail = message) {
    super(message);
    this.detail = detail;
  }
}

/** Writes every byte at the fd's position (or its end, for a file opened to append). */
export function writeAll(fd: number, bytes: Buffer): void {
  for (let offset = 0; offset < bytes.length;) {
    const count = stateFileIo.writeSync(fd, bytes, offset, bytes.length - offset);
    if (!(count > 0)) throw Object.assign(new Error("ENOSPC: no space left on device, write (no byte was written)"), { code: "ENOSPC" });
    offset += count;
  }
}

/**
 * Writes `bytes` to `tempPath` (0600: the state holds the API keys), flushes it, renames it over `path` and flushes
 * the folder; returns the new file's stat. The temp file never outlives a failure.
 */
export function replaceFile(path: string, tempPath: string, bytes: Buffer, removeTemp: (path: string) => void): BigIntStats {
  let written: BigIntStats;
  try {
    const fd = stateFileIo.openSync(tempPath, "w", 0o600);
    try {
      fchmodSync(fd, 0o600);
      writeAll(fd, bytes);
      stateFileIo.fsyncSync(fd);
      written = stateFileIo.fstatSync(fd, { bigint: true });
    } finally {
      stateFileIo.closeSync(fd);
    }
    stateFileIo.renameSync(tempPath, path);
  } catch (error) {
    removeTemp(tempPath);
    throw error;
  }
  flushFolder(path);
  return written;
}

/** Makes a rename durable across a power cut; if that cannot be done, says so in the log (the rename is done). */
export function flushFolder(path: string): void {
  try {
    const dirFd = openSync(dirname(path), "r");
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch (error) {
    console.error(`[cv-contract-kit] could not flush the folder of ${path}: ${(error as Error).message}`);
  }
}

/** The log gets the whole error with its path; the answer gets its code and meaning only. */
export function writeFailure(action: string, path: string, error: unknown): StateFileError {
  if (error instanceof StateFileError) return error;
  const message = (error as Error).message ?? String(error);
  console.error(`[cv-contract-kit] could not ${action} the state file ${path}: ${message}`);
  const code = (error as NodeJS.ErrnoException).code;
  const meaning = code ? message.split(",")[0]! : "unexpected error";
  const hint = code === "ENOSPC" || code === "EDQUOT" ? "free some disk space, then retry" : "see the fake server's log";
  return new StateFileError(`Failed to ${action} the state file ${path}: ${message}`, `could not ${action} the state file (${meaning}): ${hint}`);
}
