// Persistence under SIGKILL: the built fake is killed at random moments during continuous updates, 100 times, on
// one state file. It must always restart on it, keep every update it answered 200, and never half-apply one.
// (Needs the build: `npm test` builds before running vitest.)
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FixtureSet } from "../src/index.js";
import { KEY_A } from "./support/http.js";
import { manyEmail, manyUsers } from "./support/many-users.js";
import { spawnFake } from "./support/spawn-fake.js";

const KILLS = 100;
const WORKERS = 4; // one user each, so each user's updates are sequential and ordered

function setup() {
  const dir = mkdtempSync(join(tmpdir(), "cv-crash-"));
  const fixtures = join(dir, "fixtures.json");
  writeFileSync(fixtures, JSON.stringify(manyUsers(WORKERS)));
  return { dir, fixtures, state: join(dir, "state.json") };
}

/**
 * Sends updates for one user until the server dies. `answered[user]` is the last n answered 200; `unanswered[user]`
 * holds the n sent since then that got no answer (the server may or may not have applied them before dying).
 */
async function worker(url: string, user: number, counter: { n: number }, answered: number[], unanswered: Set<number>[]): Promise<void> {
  for (;;) {
    const n = ++counter.n;
    unanswered[user]!.add(n);
    try {
      const response = await fetch(`${url}/api/v1/users`, {
        method: "POST",
        headers: { "content-type": "application/json", "cv-api-key": KEY_A },
        // city and address carry the same n: a half-applied update would show two different ones.
        body: JSON.stringify({ action: "UPDATE_PROFILE", data: { email: manyEmail(user), city: `C${n}`, address: `A${n}` } }),
      });
      await response.text();
      if (response.status !== 200) throw new Error(`unexpected ${response.status}`);
      answered[user] = n;
      unanswered[user]!.clear();
    } catch {
      return; // the server was killed
    }
  }
}

describe("crash safety with --persist", () => {
  it(`survives ${KILLS} SIGKILLs during continuous updates without losing or tearing anything`, async () => {
    const { dir, fixtures, state } = setup();
    const answered: number[] = Array(WORKERS).fill(0);
    const unanswered = Array.from({ length: WORKERS }, () => new Set<number>());
    const counter = { n: 0 };
    let updatesAnswered = 0;

    for (let kill = 0; kill < KILLS; kill++) {
      const fake = await spawnFake(["--fixtures", fixtures, "--persist", state]);
      const before = answered.reduce((a, b) => a + b, 0);
      const workers = Array.from({ length: WORKERS }, (_, u) => worker(fake.url, u, counter, answered, unanswered));
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 40));
      await fake.kill("SIGKILL");
      await Promise.all(workers);
      updatesAnswered += answered.reduce((a, b) => a + b, 0) > before ? 1 : 0;

      // The file always parses, and each user holds its last answered update (or a later unanswered one), whole.
      const stored = JSON.parse(readFileSync(state, "utf8")) as FixtureSet;
      for (let u = 0; u < WORKERS; u++) {
        const user = stored.users.find((x) => x.email === manyEmail(u))!;
        const city = Number(user.city?.slice(1) ?? 0);
        const address = Number(user.address?.slice(1) ?? 0);
        expect(city, `kill ${kill}, user ${u}: city and address from different updates`).toBe(address);
        const allowed = [answered[u], ...unanswered[u]!];
        expect(allowed, `kill ${kill}, user ${u}: stored C${city}, answered ${answered[u]}`).toContain(city);
      }
    }
    // A restart removes any temp file a kill left behind, and takes over the dead process's lock.
    const last = await spawnFake(["--fixtures", fixtures, "--persist", state]);
    expect(readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
    expect(await last.kill("SIGTERM"), last.output()).toBe(0); // a graceful stop…
    expect(existsSync(`${state}.lock`)).toBe(false); // …releases the lock
    console.log(`[crash safety] kills survived: ${KILLS}/${KILLS}; updates sent: ${counter.n}; kills with updates answered in between: ${updatesAnswered}`);
  }, 120_000);

  it("refuses a second process on the same state file, naming the first", async () => {
    const { fixtures, state } = setup();
    const first = await spawnFake(["--fixtures", fixtures, "--persist", state]);
    try {
      const second = spawnFake(["--fixtures", fixtures, "--persist", state]);
      await expect(second).rejects.toThrow(new RegExp(`another fake server \\(pid ${first.child.pid}\\) is using it`));
    } finally {
      await first.kill();
    }
  });

  it("refuses to start on a corrupt state file, leaving it as it is", async () => {
    const { fixtures, state } = setup();
    writeFileSync(state, '{"organizations": [');
    await expect(spawnFake(["--fixtures", fixtures, "--persist", state])).rejects.toThrow(/not valid JSON.*It was left as it is/);
    expect(readFileSync(state, "utf8")).toBe('{"organizations": [');
  });
});
