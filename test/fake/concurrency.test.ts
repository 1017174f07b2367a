// Parallel requests: a phone number is given to exactly one user, and parallel updates never corrupt the state.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeServer, type FakeServer, type FixtureSet } from "../../src/index.js";
import { admin, update } from "../support/http.js";
import { manyEmail, manyUsers } from "../support/many-users.js";
import { onDisk } from "../support/on-disk.js";

const running: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((f) => f.close()));
});
const start = async (options: Parameters<typeof startFakeServer>[0]) => {
  const fake = await startFakeServer(options);
  running.push(fake);
  return fake;
};

describe("the same unused phone number sent for 100 users at once", () => {
  it("goes to exactly one user, the 99 others get the documented phone error, and a restart keeps it so", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "cv-conc-")), "state.json");
    const fake = await start({ fixtures: manyUsers(100), persist: file });
    const phone = "+15551230000";

    const replies = await Promise.all(Array.from({ length: 100 }, (_, i) => update(fake.url, { email: manyEmail(i), phoneNumber: phone })));
    const statuses = replies.map((r) => r.status);
    console.log(
      `[concurrency] phone race: 100 requests sent, ${statuses.filter((s) => s === 200).length} × 200, ${statuses.filter((s) => s >= 500).length} × 5xx`,
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(replies.filter((r) => r.body.message === "Unable to use this phone number. Please use a different one")).toHaveLength(99);

    const holders = (state: FixtureSet) => state.users.filter((u) => u.phoneNumber === phone).map((u) => u.email);
    const winner = replies.find((r) => r.status === 200)!.body.data.user.email as string;
    expect(holders((await admin(fake.url, "GET", "/db")).body)).toEqual([winner]);
    expect(holders(onDisk(file))).toEqual([winner]);

    await fake.close();
    running.pop();
    const restarted = await start({ fixtures: manyUsers(100), persist: file });
    expect(holders((await admin(restarted.url, "GET", "/db")).body)).toEqual([winner]);
  });
});

describe("50 parallel updates of one user", () => {
  it("all succeed, the state file parses, and memory equals disk", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "cv-conc-")), "state.json");
    const fake = await start({ persist: file });
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => update(fake.url, { email: "ana.free@clinic-a.test", city: `City ${i}`, address: `${i} Main St` })),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(50).fill(200));
    const disk = onDisk(file) as FixtureSet;
    const memory = (await admin(fake.url, "GET", "/db")).body as FixtureSet;
    expect(disk).toEqual(memory);
    const ana = memory.users.find((u) => u.id === "u-ana")!;
    // Never half-applied: city and address come from the same request.
    expect(ana.city!.replace("City ", "")).toBe(ana.address!.replace(" Main St", ""));
  });
});
