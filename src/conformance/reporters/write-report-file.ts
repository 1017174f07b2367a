/**
 * @module conformance/reporters/write-report-file
 * A report reaches its path through a new temp file beside it and a rename: the temp file is created exclusively
 * (never through a link planted there), and the rename replaces whatever the path was, a symbolic link included,
 * so a report never writes through a link into some other file. A reader never sees half a report.
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";

export function writeReportFile(path: string, text: string): void {
  const folder = dirname(path);
  mkdirSync(folder, { recursive: true });
  const temp = join(folder, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, "wx", 0o644 & ~process.umask()); // fails on anything already there, a link included
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
