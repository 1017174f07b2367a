/**
 * @module fake/state/state-file
 * Opt-in persistence (--persist FILE). Every write goes to a temp file that is written to the last byte, flushed to
 * disk and then renamed over the state file, so a process killed at any moment, or a full disk, leaves either the
 * old or the new state, never a torn file. A lock file keeps a second fake server off the same state file, through
 * symlinks too. A state file changed on disk by someone else is never silently overwritten, and once the fake is
 * stopping it writes nothing more.
 */
import {
  closeSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  fchmodSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
  type BigIntStats,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/**
 * The file-system calls a save makes, as a seam: tests replace `writeSync` to inject short writes and ENOSPC
 * without a real full disk. Nothing else should change these.
 */
export const stateFileIo = { openSync, writeSync, fsyncSync, closeSync, renameSync, fstatSync };

/** State files this process holds: a second server in the same process is refused too. */
const HELD = new Set<string>();

export class StateFileError extends Error {
  override name = "StateFileError";
  /** The same problem in words fit for an HTTP answer: no file path (the log has it). */
  readonly detail: string;

  constructor(message: string, detail = message) {
    super(message);
    this.detail = detail;
  }
}

export interface OpenedStateFile {
  file: StateFile;
  /** The parsed JSON of the state file, or undefined when there was no file yet. */
  contents: unknown;
}

/** What the state file looked like after this process last read or wrote it. */
type Fingerprint = { ino: bigint; size: bigint; mtimeNs: bigint } | undefined;

export const CHANGED_ON_DISK =
  "the state file changed on disk since the fake last wrote it: restart the fake to load it, or POST /__admin/reset to go back to the fixtures";

export class StateFile {
  /** The real path of the state file (symlinks followed). */
  readonly path: string;
  private readonly lockPath: string;
  private readonly tempPath: string;
  private released = false;
  private known: Fingerprint;

  private constructor(path: string) {
    this.path = followSymlinks(path);
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

  /**
   * Writes the whole state atomically: temp file (every byte), fsync, rename, fsync of the folder. Refuses when the
   * file changed on disk since this process last saw it, unless `overwrite` (a reset, asked for by the user).
   * Throws a StateFileError whose `detail` carries no path; the temp file never outlives a failure.
   */
  save(state: unknown, { overwrite = false }: { overwrite?: boolean } = {}): void {
    if (this.released) throw new StateFileError("the fake server is stopping: it writes nothing more");
    if (!overwrite && this.changedOnDisk()) throw new StateFileError(`${CHANGED_ON_DISK} (${this.path})`, CHANGED_ON_DISK);
    const bytes = Buffer.from(JSON.stringify(state, null, 1));
    let written: BigIntStats;
    try {
      written = this.writeTemp(bytes);
      stateFileIo.renameSync(this.tempPath, this.path);
    } catch (error) {
      rmSync(this.tempPath, { force: true });
      throw this.failure("write", error);
    }
    this.known = { ino: written.ino, size: written.size, mtimeNs: written.mtimeNs };
    try {
      const dirFd = openSync(dirname(this.path), "r");
      try {
        fsyncSync(dirFd);
      } finally {
        closeSync(dirFd);
      }
    } catch (error) {
      // The rename is done; only its durability across a power cut is unsure. Say so in the log.
      console.error(`[cv-contract-kit] could not flush the folder of ${this.path}: ${(error as Error).message}`);
    }
  }

  /** Releases the lock. After this the file is never written again by this process. */
  release(): void {
    if (this.released) return;
    this.released = true;
    HELD.delete(this.path);
    rmSync(this.lockPath, { force: true });
  }

  /** Writes every byte (a write may take fewer than asked), then flushes; returns the temp file's stat. */
  private writeTemp(bytes: Buffer): BigIntStats {
    // The state holds the API keys: readable by its owner only (0600), also when a temp file was left behind.
    const fd = stateFileIo.openSync(this.tempPath, "w", 0o600);
    try {
      fchmodSync(fd, 0o600);
      for (let offset = 0; offset < bytes.length; ) {
        const count = stateFileIo.writeSync(fd, bytes, offset, bytes.length - offset);
        if (!(count > 0)) throw Object.assign(new Error("ENOSPC: no space left on device, write (no byte was written)"), { code: "ENOSPC" });
        offset += count;
      }
      stateFileIo.fsyncSync(fd);
      return stateFileIo.fstatSync(fd, { bigint: true });
    } finally {
      stateFileIo.closeSync(fd);
    }
  }

  private changedOnDisk(): boolean {
    let now: BigIntStats | undefined;
    try {
      now = statSync(this.path, { bigint: true, throwIfNoEntry: false });
    } catch (error) {
      throw this.failure("check", error);
    }
    if (!now || !this.known) return now !== this.known;
    return now.ino !== this.known.ino || now.size !== this.known.size || now.mtimeNs !== this.known.mtimeNs;
  }

  /** The log gets the whole error with its path; the answer gets its code and meaning only. */
  private failure(action: string, error: unknown): StateFileError {
    const message = (error as Error).message ?? String(error);
    console.error(`[cv-contract-kit] could not ${action} the state file ${this.path}: ${message}`);
    const code = (error as NodeJS.ErrnoException).code;
    const meaning = code ? message.split(",")[0]! : "unexpected error";
    const hint = code === "ENOSPC" || code === "EDQUOT" ? "free some disk space, then retry" : "see the fake server's log";
    return new StateFileError(`Failed to ${action} the state file ${this.path}: ${message}`, `could not ${action} the state file (${meaning}): ${hint}`);
  }

  private read(): unknown {
    let text: string;
    let fd: number;
    try {
      fd = openSync(this.path, "r");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new StateFileError(`Failed to read the state file ${this.path}: ${(error as Error).message}.`);
    }
    try {
      const stat = fstatSync(fd, { bigint: true });
      text = readFileSync(fd, "utf8");
      this.known = { ino: stat.ino, size: stat.size, mtimeNs: stat.mtimeNs };
    } finally {
      closeSync(fd);
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
