/**
 * @module fake/state/fake-store
 * The fake's state: one plain object in the fixtures' format (the admin API's json-server reads see the same
 * object), indexed for the rules, and saved to the state file after every change when persistence is on. Every change is checked, applied
 * and saved in one synchronous call, so no other request can run in between; a change the state file refuses is
 * undone, and only what that change touched is put back.
 */
import type { ProfilePatch } from "../rules/profile-patch.js";
import { StateFileError, type StateFile } from "./state-file.js";
import { StateIndex } from "./state-index.js";
import type { FixtureSet, StoredUser } from "./types.js";

export type CommitResult = { ok: true } | { ok: false; detail: string };

export class FakeStore {
  private index: StateIndex | undefined;

  constructor(
    /** The one place the state lives. */
    private current: FixtureSet,
    /** A fresh copy of the fixtures, for reset (see load-fixtures). */
    private readonly reloadFixtures: () => FixtureSet,
    private readonly stateFile?: StateFile,
  ) {}

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

  /**
   * Applies a decided patch to one user, all fields at once. With persistence, the state file is written before
   * this returns; if that fails, the user's fields are put back as they were and nothing is changed.
   */
  commitProfilePatch(user: StoredUser, patch: ProfilePatch): CommitResult {
    const fields = Object.keys(patch);
    if (fields.length === 0) return { ok: true }; // an email-only request reads the profile: nothing to write
    const record = user as unknown as Record<string, unknown>;
    const before = fields.map((field) => record[field]);
    Object.assign(user, patch);
    const saved = this.save();
    if (!saved.ok) {
      fields.forEach((field, i) => {
        if (before[i] === undefined) delete record[field];
        else record[field] = before[i];
      });
      return saved;
    }
    const phoneAt = fields.indexOf("phoneNumber");
    if (phoneAt >= 0) this.index?.phoneChanged(user, before[phoneAt] as string | null | undefined);
    return saved;
  }

  /**
   * An admin write: replaces whole collections (already checked by the caller, in the same tick). If the state file
   * cannot be written, exactly those collections are put back; the others, and every other change, stay.
   */
  commitCollections(next: Partial<FixtureSet>): CommitResult {
    const current = this.current;
    const before = Object.fromEntries(Object.keys(next).map((name) => [name, current[name as keyof FixtureSet]])) as Partial<FixtureSet>;
    this.replace({ ...current, ...next });
    const saved = this.save();
    if (!saved.ok) this.replace({ ...this.current, ...before });
    return saved;
  }

  /** Back to the fixtures the fake started with (overwrites a state file changed on disk: the user asked for it). */
  reset(): CommitResult {
    let fixtures: FixtureSet;
    try {
      fixtures = this.reloadFixtures();
    } catch (error) {
      console.error(`[cv-contract-kit] reset: ${(error as Error).message}`);
      return { ok: false, detail: (error as { detail?: string }).detail ?? "the fixtures could not be read again (see the fake server's log)" };
    }
    const before = this.current;
    this.replace(fixtures);
    const saved = this.save({ overwrite: true });
    if (!saved.ok) this.replace(before);
    return saved;
  }

  /** The first start with a new state file: write it at once, or refuse to start. */
  saveInitial(): void {
    const saved = this.save();
    if (!saved.ok) throw new StateFileError(`Failed to create the state file ${this.stateFile?.path}: ${saved.detail}`);
  }

  private replace(state: FixtureSet): void {
    this.current = state;
    this.index = undefined;
  }

  /** Stops writing for good (the server is stopping) and releases the state file for a successor. */
  close(): void {
    this.stateFile?.release();
  }

  private save(options?: { overwrite?: boolean }): CommitResult {
    if (!this.stateFile) return { ok: true };
    try {
      this.stateFile.save(this.current, options);
      return { ok: true };
    } catch (error) {
      if (error instanceof StateFileError) return { ok: false, detail: error.detail };
      console.error("[cv-contract-kit] unexpected error while saving the state:", error);
      return { ok: false, detail: "unexpected error while saving the state (see the fake server's log)" };
    }
  }
}
