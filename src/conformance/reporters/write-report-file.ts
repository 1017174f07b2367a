/**
 * @module conformance/reporters/write-report-file
 * A report (or a fixtures file the suite rewrites) reaches its path through a new temp file beside it and a rename:
 * the temp file is created exclusively (never through a link planted there), and the rename replaces whatever the
 * path was, a symbolic link included, so a write never goes through a link into some other file. A reader never sees
 * half a file.
 */
import { closeSync, fchmodSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";

export interface WriteFileOptions {
  /** The new file's mode, whatever the umask (a rewritten file keeps its own); 0o644 less the umask by default. */
  mode?: number;
  /** Where the temp file goes (beside the path, a hidden random name, by default). */
  tempPath?: string;
}

export function writeReportFile(path: string, text: string, options: WriteFileOptions = {}): void {
  const folder = dirname(path);
  mkdirSync(folder, { recursive: true });
  const temp = options.tempPath ?? join(folder, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, "wx", 0o600); // fails on anything already there, a link included
    fchmodSync(fd, options.mode ?? 0o644 & ~process.umask());
    writeSync(fd, text);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
}
