// Fixtures are checked at load; persisted state survives a restart; a state file has one owner.
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startFakeServer, type FixtureSet } from "../../src/index.js";
import { runInNewContext } from "node:vm";
import { LARGE_FIXTURES } from "../../src/fake/state/collect-garbage.js";
import { admin, readUser, update } from "../support/http.js";
import { manyEmail, manyUsers } from "../support/many-users.js";
import { useFakeServers } from "../support/use-fake.js";
import { onDisk } from "../support/on-disk.js";

const defaults = JSON.parse(readFileSync(new URL("../../fixtures/default.json", import.meta.url), "utf8")) as FixtureSet;
const start = useFakeServers();

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "cv-kit-"));
}

function writeFixtures(mutate: (f: FixtureSet) => void): string {
  const fixtures = structuredClone(defaults);
  mutate(fixtures);
  const path = join(tempDir(), "fixtures.json");
  writeFileSync(path, JSON.stringify(fixtures));
  return path;
}

describe("fixtures", () => {
  it.each([
    ["a bad role", (f: FixtureSet) => void ((f.users[2] as { role: string }).role = "KING"), "/users/2/role: must be one of USER"],
    ["a bad case status", (f: FixtureSet) => void ((f.cases[0] as { status: string }).status = "Assigned"), "/cases/0/status: must be one of OPEN"],
    ["a case of no user", (f: FixtureSet) => void (f.cases[1]!.userId = "u-ghost"), '/cases/1/userId: names no user ("u-ghost")'],
    [
      "a duplicate email",
      (f: FixtureSet) => void (f.users[3]!.email = f.users[1]!.email.toUpperCase()),
      "/users/3/email: is already the email of /users/1",
    ],
    [
      "a key of no organization",
      (f: FixtureSet) => void (f.apiKeys[0]!.organizationId = "org-x"),
      "/apiKeys/0/organizationId: names no organization",
    ],
    ["a missing collection", (f: FixtureSet) => void delete (f as Partial<FixtureSet>).cases, "/cases: is required"],
  ])("refuses %s, naming the file and the JSON path", async (_, mutate, expected) => {
    const path = writeFixtures(mutate);
    const failure = startFakeServer({ fixtures: path });
    await expect(failure).rejects.toThrow(path);
    await expect(failure).rejects.toThrow(expected);
  });

  it("refuses a fixtures file that is not JSON", async () => {
    const path = join(tempDir(), "broken.json");
    writeFileSync(path, "{ not json");
    await expect(startFakeServer({ fixtures: path })).rejects.toThrow(/broken\.json: not valid JSON/);
  });

  it("starts on a large fixtures file and finds its last user at once, setting no V8 flag in the caller's process", async () => {
    const path = join(tempDir(), "large.json");
    const fixtures = manyUsers(40_000);
    for (const user of fixtures.users)
      Object.assign(user, { address: "1 Long Road, Building 7", city: "Springfield", note: "bulk user for a large fixtures file" });
    writeFileSync(path, JSON.stringify(fixtures));
    expect(readFileSync(path, "utf8").length).toBeGreaterThan(LARGE_FIXTURES);
    const fake = await start({ fixtures: path });
    expect((await readUser(fake.url, manyEmail(39_999))).firstName).toBe("Many39999");
    // Library code sets no process-wide V8 flag in the caller's process: --expose-gc would expose gc to new contexts.
    expect(runInNewContext("typeof gc")).toBe("undefined");
  });

  it("starts on fixtures given in code", async () => {
    const fake = await start({
      fixtures: {
        organizations: [{ id: "o", name: "O" }],
        apiKeys: [{ id: "key-12345678", organizationId: "o" }],
        users: [{ id: "u", email: "u@o.test", role: "USER", organizationIds: ["o"] }],
        cases: [],
      },
    });
    const reply = await update(fake.url, { email: "u@o.test", city: "Oslo" }, { key: "key-12345678" });
    expect(reply.body.data.user).toMatchObject({ email: "u@o.test", city: "Oslo", firstName: null });
  });
});

describe("persistence", () => {
  it("keeps the state across a restart, and reset writes the fixtures back", async () => {
    const file = join(tempDir(), "state.json");
    const first = await start({ persist: file });
    expect((await update(first.url, { email: "ana.free@clinic-a.test", city: "Boston" })).status).toBe(200);
    await first.close();

    const second = await start({ persist: file });
    expect((await readUser(second.url, "ana.free@clinic-a.test")).city).toBe("Boston");
    second.reset();
    expect(onDisk(file).users.find((u: { id: string }) => u.id === "u-ana")!.city).toBe("Springfield");
  });

  it("answers 503 and changes nothing when the state file cannot be written", async () => {
    const dir = tempDir();
    const file = join(dir, "state.json");
    const fake = await start({ persist: file });
    rmSync(dir, { recursive: true, force: true }); // every later write fails
    const reply = await update(fake.url, { email: "ana.free@clinic-a.test", city: "Boston" });
    expect(reply.status).toBe(503);
    expect(reply.body.message).toMatch(/^State could not be saved, nothing was changed: /);
    const patched = await admin(fake.url, "PATCH", "/cases/c-carla-1", { status: "ASSIGNED" });
    expect(patched.status).toBe(503);
    const state = (await admin(fake.url, "GET", "/db")).body as FixtureSet;
    expect(state.users.find((u) => u.id === "u-ana")!.city).toBe("Springfield");
    expect(state.cases.find((c) => c.id === "c-carla-1")!.status).toBe("OPEN");
    expect((await admin(fake.url, "POST", "/reset")).status).toBe(503);
  });

  it("replaces a record with PUT, under the id of its path; an id in the body is refused (ids never change)", async () => {
    const fake = await start({});
    const fields = { userId: "u-carla", organizationId: "org-clinic-a", status: "ASSIGNED" };
    expect((await admin(fake.url, "PUT", "/cases/c-carla-1", fields)).body).toEqual({ id: "c-carla-1", ...fields });
    const moved = await admin(fake.url, "PUT", "/cases/c-carla-1", { id: "other", ...fields });
    expect(moved.status).toBe(400);
    expect(moved.body.message).toBe('Invalid record: body must not have the property "id"');
    expect((await admin(fake.url, "GET", "/cases/other")).status).toBe(404);
  });

  it("refuses a second server on the same state file", async () => {
    const file = join(tempDir(), "state.json");
    await start({ persist: file });
    await expect(startFakeServer({ persist: file })).rejects.toThrow(/another fake server \(pid \d+\) is using it/);
  });

  it("refuses a corrupt state file and leaves it as it is", async () => {
    const file = join(tempDir(), "state.json");
    writeFileSync(file, '{"users": [');
    await expect(startFakeServer({ persist: file })).rejects.toThrow(/not valid JSON.*left as it is/);
    expect(readFileSync(file, "utf8")).toBe('{"users": [');
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it("removes temp files a killed process left behind", async () => {
    const dir = tempDir();
    const file = join(dir, "state.json");
    writeFileSync(`${file}.99999.tmp`, "{half");
    await start({ persist: file });
    expect(readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });
});
