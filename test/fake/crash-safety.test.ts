// Persistence under SIGKILL: the built fake is killed at random moments during continuous updates, 100 times, on
// one state file, while it appends to its change log and while it compacts it into a new snapshot. It must always
// restart on it, keep every update it answered 200, and never half-apply one.
// (Needs the build: `npm test` builds before running vitest.)
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KEY_A } from "../support/http.js";
import { manyEmail, manyUsers } from "../support/many-users.js";
import { onDisk } from "../support/on-disk.js";
import { spawnFake } from "../support/spawn-fake.js";

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

/**
 * Kills the fake `KILLS` times at random moments during continuous updates of `WORKERS` users, restarting it on the
 * same state file each time; after each kill, what the next start would load holds every update answered 200 (or a
 * later one that was sent but not answered), whole. Returns how many kills had updates answered since the last one.
 */
async function killRepeatedly(env: Record<string, string>, onKill?: (state: string) => void): Promise<{ sent: number; productive: number }> {
  const { dir, fixtures, state } = setup();
  const answered: number[] = Array(WORKERS).fill(0);
  const unanswered = Array.from({ length: WORKERS }, () => new Set<number>());
  const counter = { n: 0 };
  let productive = 0;

  for (let kill = 0; kill < KILLS; kill++) {
    const fake = await spawnFake(["--fixtures", fixtures, "--persist", state], env);
    const before = answered.reduce((a, b) => a + b, 0);
    const workers = Array.from({ length: WORKERS }, (_, u) => worker(fake.url, u, counter, answered, unanswered));
    // The first answer comes once the new process is warm (its first request takes far longer than the others): the
    // kill falls at a random moment after it, in the middle of the stream of updates.
    for (let waited = 0; answered.reduce((a, b) => a + b, 0) === before && waited < 5000; waited += 5) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, Math.random() * 40));
    await fake.kill("SIGKILL");
    await Promise.all(workers);
    productive += answered.reduce((a, b) => a + b, 0) > before ? 1 : 0;
    onKill?.(state);

    // Each user holds its last answered update (or a later unanswered one), whole.
    const stored = onDisk(state);
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
  const last = await spawnFake(["--fixtures", fixtures, "--persist", state], env);
  expect(readdirSync(dir).filter((n) => n.endsWith(".tmp") || n.endsWith(".next"))).toEqual([]);
  expect(await last.kill("SIGTERM"), last.output()).toBe(0); // a graceful stop…
  expect(existsSync(`${state}.lock`)).toBe(false); // …releases the lock…
  expect(readFileSync(`${state}.log`, "utf8").trim().split("\n")).toHaveLength(1); // …after a last snapshot: the log is its header alone
  return { sent: counter.n, productive };
}

describe("crash safety with --persist", () => {
  it(`survives ${KILLS} SIGKILLs during appends to the change log without losing or tearing anything`, async () => {
    const { sent, productive } = await killRepeatedly({});
    console.log(
      `[crash safety] appends: kills survived ${KILLS}/${KILLS}; updates sent: ${sent}; kills with updates answered in between: ${productive}`,
    );
  }, 120_000);

  it(`survives ${KILLS} SIGKILLs during compactions (a snapshot every few changes)`, async () => {
    let stages = { logOnly: 0, nextLogLeft: 0 };
    const { sent, productive } = await killRepeatedly({ CV_FAKE_PERSIST_LOG_LIMIT: "1024" }, (state) => {
      if (existsSync(`${state}.log.next`)) stages = { ...stages, nextLogLeft: stages.nextLogLeft + 1 };
      else stages = { ...stages, logOnly: stages.logOnly + 1 };
    });
    console.log(
      `[crash safety] compactions: kills survived ${KILLS}/${KILLS}; updates sent: ${sent}; kills with updates answered in between: ${productive}; ` +
        `kills that left a next log behind (mid-compaction): ${stages.nextLogLeft}`,
    );
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
