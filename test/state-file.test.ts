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
import { startFakeServer, type FakeServer, type FixtureSet } from "../src/index.js";
import { stateFileIo } from "../src/fake/state/state-file.js";
import { admin, update } from "./support/http.js";

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
const userWithNote = (id: string, noteLength: number) => ({ id, email: `${id}@clinic-a.test`, role: "USER", organizationIds: ["org-clinic-a"], note: "n".repeat(noteLength) });
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

    const disk = JSON.parse(readFileSync(file, "utf8")) as FixtureSet;
    expect(disk).toEqual(await dump(fake.url));
    expect(ana(disk).address).toBe(`2${"x".repeat(254)}`);
    console.log(`[state file] short writes: ${partial} writes cut to 4 KiB, state file whole (${readFileSync(file).length} bytes)`);
  });
});

describe("a full disk (ENOSPC in the middle of a write)", () => {
  it("answers 503 to every write, changes nothing in memory or on disk, and recovers once there is room", async () => {
    const dir = tempDir();
    const file = join(dir, "state.json");
    const fake = await start({ persist: file });
    const before = readFileSync(file, "utf8");
    const stateBefore = await dump(fake.url);

    // Each temp file gets 2 KiB, then ENOSPC: less than the state file needs.
    const written = new Map<number, number>();
    injectWrites((fd, buffer, offset, length) => {
      const room = 2048 - (written.get(fd) ?? 0);
      if (room <= 0) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", syscall: "write" });
      const count = realWriteSync(fd, buffer, offset, Math.min(length, room));
      written.set(fd, (written.get(fd) ?? 0) + count);
      return count;
    });
    vi.spyOn(console, "error").mockImplementation(() => {});

    const replies = [
      await update(fake.url, { email: ANA, address: "x".repeat(255) }),
      await admin(fake.url, "POST", "/users", userWithNote("u-note", 15_000)),
      await admin(fake.url, "PATCH", "/cases/c-carla-1", { status: "ASSIGNED" }),
      await admin(fake.url, "DELETE", "/cases/c-carla-2"),
      await admin(fake.url, "POST", "/reset"),
    ];
    for (const reply of replies) {
      expect(reply.status, reply.text).toBe(503);
      expect(reply.body.message).toBe(
        "State could not be saved, nothing was changed: could not write the state file (ENOSPC: no space left on device): free some disk space, then retry",
      );
    }
    expect(await dump(fake.url)).toEqual(stateBefore);
    expect(readFileSync(file, "utf8")).toBe(before);
    expect(temps(dir)).toEqual([]);

    vi.mocked(stateFileIo.writeSync).mockRestore(); // room again
    expect((await update(fake.url, { email: ANA, city: "Boston" })).status).toBe(200);
    expect(ana(JSON.parse(readFileSync(file, "utf8")) as FixtureSet).city).toBe("Boston");
    console.log(`[state file] ENOSPC: ${replies.length} writes answered 503, memory and disk unchanged, no temp file left`);
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
      const fake = await start({ persist: file });
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
        const disk = JSON.parse(readFileSync(file, "utf8")) as FixtureSet; // never torn
        expect(disk).toEqual(acknowledged);
      }
      expect(statuses).toContain(503);
      expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]);
      expect(temps(dir)).toEqual([]);
      await fake.close();
      running.pop();
      const restarted = await start({ persist: file }); // the next start accepts the file
      expect(await dump(restarted.url)).toEqual(acknowledged);
      console.log(`[state file] 64 KiB tmpfs: ${statuses.filter((s) => s === 201).length} writes acknowledged, then 503; state file whole and accepted at restart`);
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
    for (const reply of [await update(fake.url, { email: ANA, city: "Boston" }), await admin(fake.url, "PATCH", "/cases/c-carla-1", { status: "ASSIGNED" })]) {
      expect(reply.status).toBe(503);
      expect(reply.text).not.toContain(dir);
      expect(reply.text).not.toMatch(/\/tmp\/|\/work\//);
    }
  });

  it("says what is wrong with the fixtures when a reset cannot read them, without their path", async () => {
    const dir = tempDir();
    const fixtures = join(dir, "fixtures.json");
    writeFileSync(fixtures, readFileSync(new URL("../fixtures/default.json", import.meta.url)));
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
    expect(ana(JSON.parse(readFileSync(target, "utf8")) as FixtureSet).city).toBe("Boston");
  });
});

describe("a state file changed on disk by someone else", () => {
  it("is never silently overwritten: writes answer 503 'changed on disk', until a restart or a reset", async () => {
    const file = join(tempDir(), "state.json");
    const fake = await start({ persist: file });
    const edited = JSON.parse(readFileSync(file, "utf8")) as FixtureSet;
    ana(edited).city = "Edited by hand";
    writeFileSync(file, JSON.stringify(edited, null, 2));

    const refused = [await update(fake.url, { email: ANA, city: "Boston" }), await admin(fake.url, "PATCH", "/cases/c-carla-1", { status: "ASSIGNED" })];
    for (const reply of refused) {
      expect(reply.status).toBe(503);
      expect(reply.body.message).toContain("the state file changed on disk since the fake last wrote it: restart the fake to load it, or POST /__admin/reset");
    }
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(edited); // the hand edit is kept

    await fake.close(); // a restart loads the edit
    running.pop();
    const restarted = await start({ persist: file });
    expect(ana(await dump(restarted.url)).city).toBe("Edited by hand");
    writeFileSync(file, JSON.stringify(edited)); // edited again
    expect((await admin(restarted.url, "POST", "/reset")).status).toBe(200); // a reset overwrites it
    expect(ana(JSON.parse(readFileSync(file, "utf8")) as FixtureSet).city).toBe("Springfield");
    expect((await update(restarted.url, { email: ANA, city: "Boston" })).status).toBe(200);
  });
});
