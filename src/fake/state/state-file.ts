/**
 * @module fake/state/state-file
 * Opt-in persistence (--persist FILE). Every write goes to a temp file that is flushed to disk and then renamed
 * over the state file, so a process killed at any moment leaves either the old or the new state, never a torn
 * file. A lock file keeps a second fake server off the same state file.
 */
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/** State files this process holds: a second server in the same process is refused too. */
const HELD = new Set<string>();

export class StateFileError extends Error {
  override name = "StateFileError";
}

export interface OpenedStateFile {
  file: StateFile;
  /** The parsed JSON of the state file, or undefined when there was no file yet. */
  contents: unknown;
}

export class StateFile {
  readonly path: string;
  private readonly lockPath: string;
  private readonly tempPath: string;
  private released = false;

  private constructor(path: string) {
    this.path = resolve(path);
    this.lockPath = `${this.path}.lock`;
    this.tempPath = `${this.path}.${process.pid}.tmp`;
  }

  /** Locks the file, removes temp files a killed process left, and reads what is there. */
  static open(path: string): OpenedStateFile {
    const file = new StateFile(path);
    file.lock();
    try {
      file.removeLeftoverTemps();
      return { file, contents: file.read() };
    } catch (error) {
      file.release();
      throw error;
    }
  }

  /** Writes the whole state atomically: temp file, fsync, rename, fsync of the folder. */
  save(state: unknown): void {
    const text = JSON.stringify(state, null, 1);
    const fd = openSync(this.tempPath, "w");
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(this.tempPath, this.path);
    const dirFd = openSync(dirname(this.path), "r");
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    HELD.delete(this.path);
    rmSync(this.lockPath, { force: true });
  }

  private read(): unknown {
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new StateFileError(`Failed to read the state file ${this.path}: ${(error as Error).message}.`);
    }
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new StateFileError(
        `Failed to load the state file ${this.path}: it is not valid JSON (${(error as Error).message}). ` +
          "It was left as it is. Restore it, or delete it to start again from the fixtures.",
      );
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
              "Stop that process, or pass another --persist file.",
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

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
