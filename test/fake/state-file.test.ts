// The state file under attack: short writes and a full disk (through a seam, and on a real 64 KiB tmpfs when one can
// be mounted), a symlink to it, a hand edit of it. It is never torn, never silently overwritten, and a failed write
// changes nothing, in memory or on disk.
import { execFileSync } from "node:child_process";
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statfsSync,
  symlinkSync,
  writeFileSync,
  writeSync as realWriteSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createFake, startFakeServer, type FakeServer, type FixtureSet } from "../../src/index.js";
import { createClient } from "../../src/client/index.js";
import { stateFileIo } from "../../src/fake/state/state-file.js";
import { admin, update } from "../support/http.js";
import { onDisk } from "../support/on-disk.js";

const running: FakeServer[] = [];
const start = async (...args: Parameters<typeof startFakeServer>) => {
  const fake = await startFakeServer(...args);
  running.push(fake);
  return fake;
};
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(running.splice(0).map((f) => f.close()));
});

const ANA = "ana.free@clinic-a.test";
const tempDir = () => mkdtempSync(join(tmpdir(), "cv-state-"));
const userWithNote = (id: string, noteLength: number) => ({
  id,
  email: `${id}@clinic-a.test`,
  role: "USER",
  organizationIds: ["org-clinic-a"],
  note: "n".repeat(noteLength),
});
const dump = async (url: string) => (await admin(url, "GET", "/db")).body as FixtureSet;
const ana = (state: FixtureSet) => state.users.find((u) => u.id === "u-ana")!;
const temps = (dir: string) => readdirSync(dir).filter((name) => name.endsWith(".tmp"));

type WriteSync = (fd: number, buffer: Buffer, offset: number, length: number) => number;
/** Replaces the state file's writeSync (the seam) for the rest of the test. */
const injectWrites = (write: WriteSync) => vi.spyOn(stateFileIo, "writeSync").mockImplementation(write as typeof stateFileIo.writeSync);

describe("short writes (the disk takes fewer bytes than asked)", () => {
  it("still writes every byte: the state file parses and equals the state served", async () => {
    const file = join(tempDir(), "state.json");
    const fake = await start({ persist: file });
    let partial = 0;
    injectWrites((fd, buffer, offset, length) => {
      if (length > 4096) partial++;
      return realWriteSync(fd, buffer, offset, Math.min(length, 4096));
    });
    for (let i = 0; i < 3; i++) expect((await update(fake.url, { email: ANA, address: `${i}${"x".repeat(254)}` })).status).toBe(200);
    expect((await admin(fake.url, "POST", "/users", userWithNote("u-note", 15_000))).status).toBe(201);

    const disk = onDisk(file) as FixtureSet;
    expect(disk).toEqual(await dump(fake.url));
    expect(ana(disk).address).toBe(`2${"x".repeat(254)}`);
    console.log(`[state file] short writes: ${partial} writes cut to 4 KiB, state file whole (${readFileSync(file).length} bytes)`);
  });
});

describe("a full disk (ENOSPC in the middle of a write)", () => {
  it("answers 503 to every write cut short by a full disk, changes nothing in memory or on disk, and recovers", async () => {
    const dir = tempDir();
    const file = join(dir, "state.json");
    const fake = await start({ persist: file });
    const snapshotBefore = readFileSync(file, "utf8");
    const logBefore = readFileSync(`${file}.log`, "utf8");
    const stateBefore = await dump(fake.url);

    // Every write takes half of what it is given, then the disk is full: each append leaves a partial line behind.
    let full = false;
    injectWrites((fd, buffer, offset, length) => {
      if (full) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", syscall: "write" });
      full = true;
      return realWriteSync(fd, buffer, offset, Math.ceil(length / 2));
    });
    vi.spyOn(console, "error").mockImplementation(() => {});

    const replies = [];
    for (const send of [
      () => update(fake.url, { email: ANA, address: "x".repeat(255) }),
      () => admin(fake.url, "POST", "/users", userWithNote("u-note", 15_000)),
      () => admin(fake.url, "PATCH", "/cases/c-carla-1", { status: "ASSIGNED" }),
      () => admin(fake.url, "DELETE", "/cases/c-carla-2"),
      () => admin(fake.url, "POST", "/reset"),
    ]) {
      full = false;
      replies.push(await send());
    }
    for (const reply of replies) {
      expect(reply.status, reply.text).toBe(503);
      expect(reply.body.message).toBe(
        "State could not be saved, nothing was changed: could not write the state file (ENOSPC: no space left on device): free some disk space, then retry",
      );
    }
    expect(await dump(fake.url)).toEqual(stateBefore);
    expect(readFileSync(file, "utf8")).toBe(snapshotBefore);
    expect(readFileSync(`${file}.log`, "utf8")).toBe(logBefore); // each partial line was cut off again
    expect(onDisk(file)).toEqual(stateBefore);
    expect(temps(dir)).toEqual([]);

    vi.mocked(stateFileIo.writeSync).mockRestore(); // room again
    expect((await update(fake.url, { email: ANA, city: "Boston" })).status).toBe(200);
    expect(ana(onDisk(file)).city).toBe("Boston");
    console.log(`[state file] ENOSPC: ${replies.length} writes answered 503, memory, snapshot and log unchanged, no temp file left`);
  });

  it("keeps the change log when a compaction finds the disk full: the change stays answered 200, and is kept", async () => {
    const dir = tempDir();
    const file = join(dir, "state.json");
    const fake = await start({ persist: file, persistLogLimit: 1 }); // a snapshot after every change
    const snapshotBefore = readFileSync(file, "utf8");
    // A snapshot is written in writes larger than any one line of the log: those find the disk full.
    injectWrites((fd, buffer, offset, length) => {
      if (length > 2048) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", syscall: "write" });
      return realWriteSync(fd, buffer, offset, length);
    });
    vi.spyOn(console, "error").mockImplementation(() => {});

    expect((await update(fake.url, { email: ANA, city: "Boston" })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the compaction runs after the answer has left
    expect(readFileSync(file, "utf8")).toBe(snapshotBefore); // no new snapshot…
    expect(ana(onDisk(file)).city).toBe("Boston"); // …and the change is in the log
    expect(readdirSync(dir).filter((name) => name.endsWith(".tmp") || name.endsWith(".next"))).toEqual([]);

    const reset = await admin(fake.url, "POST", "/reset"); // a reset is a snapshot: refused whole
    expect(reset.status).toBe(503);
    expect(ana(await dump(fake.url)).city).toBe("Boston");
    expect(ana(onDisk(file)).city).toBe("Boston");

    vi.mocked(stateFileIo.writeSync).mockRestore(); // room again: the next change compacts
    expect((await update(fake.url, { email: ANA, city: "Chicago" })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ana(JSON.parse(readFileSync(file, "utf8")) as FixtureSet).city).toBe("Chicago");
    expect(readFileSync(`${file}.log`, "utf8").trim().split("\n")).toHaveLength(1); // the header alone
  });

  describe("on a real 64 KiB tmpfs", () => {
    let dir = "";
    let mounted = false;
    let reason = "";
    beforeAll(() => {
      dir = tempDir();
      try {
        execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir], { stdio: "pipe" });
        mounted = true;
      } catch (error) {
        reason = String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim() || "mount failed";
      }
    });
    afterAll(async () => {
      await Promise.all(running.splice(0).map((f) => f.close()));
      if (mounted) execFileSync("umount", [dir]);
    });

    it("keeps every update answered 200, and the state file whole, until the disk is full", async (ctx) => {
      if (!mounted) ctx.skip(`cannot mount a tmpfs here (${reason}); the seam test above covers ENOSPC`);
      const file = join(dir, "state.json");
      const fake = await start({ persist: file, persistLogLimit: 4096 }); // compactions too, on the way to a full disk
      // Leave room for the state file and its temp copy, and a little more.
      const { bavail, bsize } = statfsSync(dir);
      const size = readFileSync(file).length;
      writeFileSync(join(dir, "filler"), Buffer.alloc(Math.max(0, Number(bavail) * Number(bsize) - 2 * size - 8192)));

      vi.spyOn(console, "error").mockImplementation(() => {});
      const statuses: number[] = [];
      let acknowledged = await dump(fake.url);
      for (let i = 0; i < 40 && !statuses.includes(503); i++) {
        const reply = await admin(fake.url, "POST", "/users", userWithNote(`u-fill-${i}`, 1000));
        statuses.push(reply.status);
        if (reply.status === 201) acknowledged = await dump(fake.url);
        const disk = onDisk(file); // never torn
        expect(disk).toEqual(acknowledged);
      }
      expect(statuses).toContain(503);
      expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]);
      expect(temps(dir)).toEqual([]);
      await fake.close();
      running.pop();
      const restarted = await start({ persist: file }); // the next start accepts the file
      expect(await dump(restarted.url)).toEqual(acknowledged);
      console.log(
        `[state file] 64 KiB tmpfs: ${statuses.filter((s) => s === 201).length} writes acknowledged, then 503; state file whole and accepted at restart`,
      );
    });
  });
});

describe("answers never carry a file path", () => {
  it("names the problem, not the path, when the state file's folder is gone (the log has the path)", async () => {
    const dir = tempDir();
    const fake = await start({ persist: join(dir, "state.json") });
    rmSync(dir, { recursive: true, force: true });
    const logged: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void logged.push(args.join(" ")));
    for (const reply of [
      await update(fake.url, { email: ANA, city: "Boston" }),
      await admin(fake.url, "PATCH", "/cases/c-carla-1", { status: "ASSIGNED" }),
    ]) {
      expect(reply.status).toBe(503);
      expect(reply.text).not.toContain(dir);
      expect(reply.text).not.toMatch(/\/tmp\/|\/work\//);
    }
  });

  it("says what is wrong with the fixtures when a reset cannot read them, without their path", async () => {
    const dir = tempDir();
    const fixtures = join(dir, "fixtures.json");
    writeFileSync(fixtures, readFileSync(new URL("../../fixtures/default.json", import.meta.url)));
    const fake = await start({ fixtures, persist: join(dir, "state.json") });
    writeFileSync(fixtures, "{ broken");
    vi.spyOn(console, "error").mockImplementation(() => {});
    const reply = await admin(fake.url, "POST", "/reset");
    expect(reply.status).toBe(503);
    expect(reply.body.message).toMatch(/^State could not be saved, nothing was changed: the fixtures file is not valid JSON/);
    expect(reply.text).not.toContain(dir);
  });
});

describe("a symlink to the state file", () => {
  it("is followed: the lock covers its target, and the link stays a link", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "real"));
    const target = join(dir, "real", "state.json");
    const link = join(dir, "state.json");
    symlinkSync(target, link);

    const fake = await start({ persist: link });
    expect(fake.stateFile!.path).toBe(realpathSync(target));
    await expect(startFakeServer({ persist: target })).rejects.toThrow(/another fake server \(pid \d+\) is using it/);
    expect((await update(fake.url, { email: ANA, city: "Boston" })).status).toBe(200);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(ana(onDisk(target) as FixtureSet).city).toBe("Boston");
  });
});

describe("a state file changed on disk by someone else", () => {
  it("is never silently overwritten: writes answer 503 'changed on disk', until a restart or a reset", async () => {
    const file = join(tempDir(), "state.json");
    const fake = await start({ persist: file });
    const edited = onDisk(file) as FixtureSet;
    ana(edited).city = "Edited by hand";
    writeFileSync(file, JSON.stringify(edited, null, 2));

    const refused = [
      await update(fake.url, { email: ANA, city: "Boston" }),
      await admin(fake.url, "PATCH", "/cases/c-carla-1", { status: "ASSIGNED" }),
    ];
    for (const reply of refused) {
      expect(reply.status).toBe(503);
      expect(reply.body.message).toContain(
        "the state file changed on disk since the fake last wrote it: restart the fake to load it, or POST /__admin/reset",
      );
    }
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(edited); // the hand edit is kept

    await fake.close(); // a restart loads the edit
    running.pop();
    const restarted = await start({ persist: file });
    expect(ana(await dump(restarted.url)).city).toBe("Edited by hand");
    writeFileSync(file, JSON.stringify(edited)); // edited again
    expect((await admin(restarted.url, "POST", "/reset")).status).toBe(200); // a reset overwrites it
    expect(ana(onDisk(file) as FixtureSet).city).toBe("Springfield");
    expect((await update(restarted.url, { email: ANA, city: "Boston" })).status).toBe(200);
  });
});

describe("the change log beside the snapshot", () => {
  const lines = (file: string) => readFileSync(`${file}.log`, "utf8").split("\n").filter(Boolean);

  it("holds one line per change, replayed at the next start; a clean stop folds them into a new snapshot", async () => {
    const file = join(tempDir(), "state.json");
    const fake = await start({ persist: file });
    const snapshot = readFileSync(file, "utf8");
    expect((await update(fake.url, { email: ANA, city: "Boston" })).status).toBe(200);
    expect((await admin(fake.url, "PATCH", "/cases/c-carla-1", { status: "ASSIGNED" })).status).toBe(200);
    expect((await admin(fake.url, "DELETE", "/users/u-ben")).status).toBe(200);
    expect(readFileSync(file, "utf8")).toBe(snapshot); // the snapshot is not rewritten per change
    const [header, ...changes] = lines(file).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(header).toMatchObject({ changeLogOf: "state.json", snapshot: { bytes: Buffer.byteLength(snapshot) } });
    expect(changes[0]).toEqual({ op: "set", collection: "users", id: "u-ana", fields: { city: "Boston" } });
    expect(changes[1]).toMatchObject({ op: "put", collection: "cases", records: [{ id: "c-carla-1", status: "ASSIGNED" }] });
    expect(changes[2]).toEqual([
      { op: "delete", collection: "users", ids: ["u-ben"] },
      { op: "delete", collection: "cases", ids: ["c-ben-1"] },
    ]); // an admin write with its cascade is one line: replayed all or nothing
    const served = await dump(fake.url);
    expect(onDisk(file)).toEqual(served);

    await fake.close();
    running.pop();
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(served); // the stop wrote a snapshot…
    expect(lines(file)).toHaveLength(1); // …and the log is its header alone
    const restarted = await start({ persist: file });
    expect(await dump(restarted.url)).toEqual(served);
  });

  it("drops a torn last line (a crash in the middle of an append), never reading it as state", async () => {
    const file = join(tempDir(), "state.json");
    const fake = await start({ persist: file });
    expect((await update(fake.url, { email: ANA, city: "Boston" })).status).toBe(200);
    const served = await dump(fake.url);
    await fake.close();
    running.pop();
    // As a kill in the middle of an append leaves it: a line without its newline.
    const torn = JSON.stringify({ op: "set", collection: "users", id: "u-ana", fields: { city: "Torn" } }).slice(0, 40);
    writeFileSync(`${file}.log`, readFileSync(`${file}.log`, "utf8") + torn);
    const logged: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void logged.push(args.join(" ")));
    const restarted = await start({ persist: file });
    expect(await dump(restarted.url)).toEqual(served);
    expect(logged.join("\n")).toMatch(/dropped a torn last line \(40 bytes, never answered/);
    expect(readFileSync(`${file}.log`, "utf8")).not.toContain(torn); // cut off, so the next append starts a line of its own
    expect((await update(restarted.url, { email: ANA, city: "Chicago" })).status).toBe(200);
    expect(ana(onDisk(file)).city).toBe("Chicago");
  });

  it("takes the next log when a compaction was killed between its two renames", async () => {
    const file = join(tempDir(), "state.json");
    const fake = await start({ persist: file });
    expect((await update(fake.url, { email: ANA, city: "Boston" })).status).toBe(200);
    const served = await dump(fake.url);
    const oldLog = readFileSync(`${file}.log`, "utf8");
    await fake.close();
    running.pop();
    // What a kill after "new snapshot" and before "next log → log" leaves: the new snapshot, its next log, the old log.
    const next = readFileSync(`${file}.log`, "utf8"); // the stop's compaction made it: header of the new snapshot
    writeFileSync(`${file}.log.next`, next);
    writeFileSync(`${file}.log`, oldLog.replace(/"bytes":\d+/, '"bytes":1')); // names another snapshot, with a change
    const restarted = await start({ persist: file });
    expect(await dump(restarted.url)).toEqual(served);
    expect(readdirSync(join(file, "..")).filter((name) => name.endsWith(".next"))).toEqual([]);
  });

  it("refuses to start when the log holds changes for another snapshot (the state file was replaced under it)", async () => {
    const file = join(tempDir(), "state.json");
    const fake = await start({ persist: file });
    expect((await update(fake.url, { email: ANA, city: "Boston" })).status).toBe(200);
    const log = readFileSync(`${file}.log`, "utf8");
    await fake.close();
    running.pop();
    writeFileSync(`${file}.log`, log); // the stop folded it in; put the changes back, as after a kill
    const replaced = JSON.parse(readFileSync(file, "utf8")) as FixtureSet;
    ana(replaced).city = "Replaced";
    writeFileSync(file, JSON.stringify(replaced)); // and another state file put in its place
    await expect(startFakeServer({ persist: file })).rejects.toThrow(
      /holds 1 changes made to another version of the state file.*delete .*state\.json\.log to keep the state file as it is/s,
    );
    expect(readFileSync(`${file}.log`, "utf8")).toBe(log); // both left as they were
  });

  it("is never silently overwritten when someone else writes to it: writes answer 503 'changed on disk'", async () => {
    const file = join(tempDir(), "state.json");
    const fake = await start({ persist: file });
    writeFileSync(
      `${file}.log`,
      readFileSync(`${file}.log`, "utf8") + '{"op":"set","collection":"users","id":"u-ana","fields":{"city":"By hand"}}\n',
    );
    const reply = await update(fake.url, { email: ANA, city: "Boston" });
    expect(reply.status).toBe(503);
    expect(reply.body.message).toContain("the state file changed on disk since the fake last wrote it");
    expect(ana(onDisk(file)).city).toBe("By hand");
  });

  it("shares one flush among the changes of one turn of the event loop (group commit)", async () => {
    const file = join(tempDir(), "state.json");
    const fake = createFake({ persist: file });
    try {
      const flushes = vi.spyOn(stateFileIo, "fdatasync");
      const client = createClient({ baseUrl: "http://fake.test", apiKey: "cvk_test_clinic_a_4f1c2d9e", fetch: fake.fetch });
      // Sent in one turn: every one is decided at once, and all are answered after one append and one flush.
      const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => client.updateUserProfile({ email: ANA, city: `City ${i}` })));
      expect(replies.map((r) => r.response.status)).toEqual(Array(20).fill(200));
      expect(lines(file)).toHaveLength(21);
      expect(flushes).toHaveBeenCalledTimes(1);
      expect(ana(onDisk(file)).city).toBe("City 19");
    } finally {
      await fake.close();
    }
  });

  it("undoes a batch whose flush fails, and the changes decided after it, answering each 503", async () => {
    const file = join(tempDir(), "state.json");
    const fake = createFake({ persist: file });
    try {
      const client = createClient({ baseUrl: "http://fake.test", apiKey: "cvk_test_clinic_a_4f1c2d9e", fetch: fake.fetch });
      const before = structuredClone(fake.state());
      const logBefore = readFileSync(`${file}.log`, "utf8");
      vi.spyOn(console, "error").mockImplementation(() => {});
      // The first flush fails (EIO) only once the next update is decided, so both batches exist when it does.
      let failNext = true;
      vi.spyOn(stateFileIo, "fdatasync").mockImplementation(((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
        if (!failNext) return void callback(null);
        failNext = false;
        setTimeout(() => callback(Object.assign(new Error("EIO: i/o error, fdatasync"), { code: "EIO" })), 20);
      }) as typeof stateFileIo.fdatasync);
      const first = client.updateUserProfile({ email: ANA, city: "First" });
      await new Promise((resolve) => setTimeout(resolve, 5)); // the first batch is in flight
      const second = client.updateUserProfile({ email: ANA, address: "2 Second St" });
      const replies = await Promise.all([first, second]);
      expect(replies.map((r) => r.response.status)).toEqual([503, 503]);
      expect(replies[0]!.error).toMatchObject({ message: expect.stringContaining("could not write the state file (EIO") });
      expect(fake.state()).toEqual(before);
      expect(readFileSync(`${file}.log`, "utf8")).toBe(logBefore);
      const third = await client.updateUserProfile({ email: ANA, city: "Third" });
      expect(third.response.status).toBe(200);
      expect(ana(onDisk(file))).toMatchObject({ city: "Third", address: before.users.find((u) => u.id === "u-ana")!.address });
    } finally {
      await fake.close();
    }
  });
});
