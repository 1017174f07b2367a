// What --persist costs: the fake in memory beside the fake with a state file, in one script, on loopback, at the
// default fixtures and at a generated set (100,000 users by default). Prints, each against its target (issue 21):
//   - throughput and p99 of updates over HTTP (autocannon), persisted/in-memory;
//   - sequential update latency (one request at a time), persisted/in-memory, and the persisted cost per update at
//     the large set over the one at 1,000 users (the cost must follow the change, not the state);
//   - startup (spawn to first 200) with a change log of 100,000 changes to replay;
//   - disk used (snapshot + log + any temp file, sampled during the load) over the snapshot's size.
// `node bench/persistence.js [--users 100000] [--duration 10] [--connections 50] [--sequential 400]`; also run by
// `npm run bench` (bench/run.js), whose report gets these figures under "persistence".
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import autocannon from "autocannon";
import { generatedFixtures, updatableEmails, KEY_A } from "./fixtures.js";
import { successOnly } from "./workloads.js";

const ROOT = new URL("..", import.meta.url).pathname;
const CLI = join(ROOT, "bin/cv-contract-kit.js");
const update = (email, city) => ({
  method: "POST",
  headers: { "content-type": "application/json", "cv-api-key": KEY_A },
  body: JSON.stringify({ action: "UPDATE_PROFILE", data: { email, city } }),
});

async function startFake(args, env = {}, probeEmail = "ana.free@clinic-a.test") {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, "serve", "--port", "0", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  let output = "";
  child.stdout.on("data", (c) => (output += c));
  child.stderr.on("data", (c) => (output += c));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the fake did not start within 60 s: ${output}`)), 60_000);
    const look = () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      } else if (child.exitCode !== null) reject(new Error(output));
      else setTimeout(look, 2);
    };
    look();
  });
  for (;;) {
    try {
      const r = await fetch(`${url}/api/v1/users`, update(probeEmail, "Probe"));
      await r.text();
      if (r.status === 200) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  return { child, url, startupMs: performance.now() - started, output: () => output };
}

function stop(child, signal = "SIGTERM") {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", resolve);
    child.kill(signal);
  });
}

async function loadHttp(url, emails, { connections, duration, amount }) {
  const result = await autocannon({ url, connections, ...(amount ? { amount } : { duration }), requests: successOnly(emails) });
  return {
    reqPerSec: Math.round(result.requests.average),
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

async function sequential(url, emails, count) {
  for (let i = 0; i < 20; i++) await (await fetch(`${url}/api/v1/users`, update(emails[i % emails.length], `Warm${i}`))).text();
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const r = await fetch(`${url}/api/v1/users`, update(emails[i % emails.length], `Seq${i}`));
    await r.text();
    if (r.status !== 200) throw new Error(`sequential update answered ${r.status}`);
  }
  return (performance.now() - started) / count;
}

/** Bytes of every file of the state file (snapshot, log, next log, temp files) in `dir`. */
const diskBytes = (dir) =>
  readdirSync(dir)
    .filter((n) => n.startsWith("state.json"))
    .reduce((sum, n) => sum + (statSync(join(dir, n), { throwIfNoEntry: false })?.size ?? 0), 0); // a temp file may go between the two calls

/** One set of fixtures: in memory, then persisted; HTTP load, sequential latency, disk. */
async function measureSet(label, fixturesArgs, emails, options) {
  const dir = mkdtempSync(join(tmpdir(), "cv-bench-persist-"));
  const probe = emails[0];
  process.stdout.write(`  ${label}: in memory… `);
  const memory = await startFake(fixturesArgs, {}, probe);
  const memoryLoad = await loadHttp(memory.url, emails, options);
  const memorySeq = await sequential(memory.url, emails, options.sequential);
  await stop(memory.child);
  process.stdout.write("persisted… ");
  const persisted = await startFake([...fixturesArgs, "--persist", join(dir, "state.json")], {}, probe);
  const snapshotBytes = statSync(join(dir, "state.json")).size;
  let peakDisk = diskBytes(dir);
  const sampler = setInterval(() => (peakDisk = Math.max(peakDisk, diskBytes(dir))), 20);
  const persistedLoad = await loadHttp(persisted.url, emails, options);
  const persistedSeq = await sequential(persisted.url, emails, options.sequential);
  clearInterval(sampler);
  peakDisk = Math.max(peakDisk, diskBytes(dir));
  await stop(persisted.child);
  console.log("done");
  return {
    label,
    memory: { ...memoryLoad, sequentialMs: memorySeq },
    persisted: { ...persistedLoad, sequentialMs: persistedSeq },
    snapshotBytes,
    peakDiskBytes: peakDisk,
  };
}

/** Startup of a persisted fake whose change log holds `changes` changes (it was killed: no snapshot at stop). */
async function startupWithLog(fixturesPath, emails, changes, connections) {
  const dir = mkdtempSync(join(tmpdir(), "cv-bench-replay-"));
  const state = join(dir, "state.json");
  const env = { CV_FAKE_PERSIST_LOG_LIMIT: String(2 ** 40) }; // no compaction: every change stays in the log
  const writer = await startFake(["--fixtures", fixturesPath, "--persist", state], env, emails[0]);
  await loadHttp(writer.url, emails, { connections, amount: changes });
  await stop(writer.child, "SIGKILL");
  const lines = readFileSync(`${state}.log`, "utf8").split("\n").length - 2; // the header, and after the last newline
  const logBytes = statSync(`${state}.log`).size;
  const reader = await startFake(["--fixtures", fixturesPath, "--persist", state], {}, emails[0]);
  await stop(reader.child);
  return { changesInLog: lines, startupMs: Math.round(reader.startupMs), logBytes };
}

export async function measurePersistence({ users = 100_000, duration = 10, connections = 50, sequentialCount = 400, bigPath } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "cv-bench-persist-fixtures-"));
  const small = join(dir, "fixtures-1000.json");
  writeFileSync(small, JSON.stringify(generatedFixtures(1000)));
  const big = bigPath ?? join(dir, `fixtures-${users}.json`);
  if (!bigPath) writeFileSync(big, JSON.stringify(generatedFixtures(users)));
  const load = { duration, connections, sequential: sequentialCount };
  const defaults = await measureSet(
    "default fixtures",
    [],
    ["ana.free@clinic-a.test", "john.doe@example.com", "carla.open@clinic-a.test", "fay.phone@clinic-a.test"],
    load,
  );
  const thousand = await measureSet("1,000 users", ["--fixtures", small], updatableEmails(1000, 64), load);
  const large = await measureSet(`${users} users`, ["--fixtures", big], updatableEmails(users, 64), load);
  process.stdout.write(`  startup with a log of 100,000 changes (${users} users)… `);
  const replay = await startupWithLog(big, updatableEmails(users, 64), 100_000, connections);
  console.log("done");
  return { users, sets: [defaults, thousand, large], replay };
}

const ratio = (a, b) => (b === 0 ? NaN : Number((a / b).toFixed(2)));

export function printPersistence({ users, sets, replay }) {
  const pad = (v, n) => String(v).padStart(n);
  console.log(
    `\n${"persistence (success-only updates)".padEnd(36)}${pad("memory r/s", 11)}${pad("p99", 5)}${pad("seq ms", 8)}${pad("persist r/s", 12)}${pad("p99", 5)}${pad("seq ms", 8)}${pad("errors", 7)}${pad("disk/snapshot", 14)}`,
  );
  for (const s of sets) {
    console.log(
      `${s.label.padEnd(36)}${pad(s.memory.reqPerSec, 11)}${pad(s.memory.p99, 5)}${pad(s.memory.sequentialMs.toFixed(2), 8)}${pad(s.persisted.reqPerSec, 12)}${pad(s.persisted.p99, 5)}${pad(s.persisted.sequentialMs.toFixed(2), 8)}${pad(s.memory.errors + s.persisted.errors + s.memory.non2xx + s.persisted.non2xx, 7)}${pad(`${ratio(s.peakDiskBytes, s.snapshotBytes)}×`, 14)}`,
    );
  }
  const [, thousand, large] = sets;
  const verdict = (ok) => (ok ? "met" : "NOT met");
  const throughput = ratio(large.persisted.reqPerSec, large.memory.reqPerSec);
  const seq = ratio(large.persisted.sequentialMs, large.memory.sequentialMs);
  const growth = ratio(large.persisted.sequentialMs, thousand.persisted.sequentialMs);
  const disk = ratio(large.peakDiskBytes, large.snapshotBytes);
  console.log(
    `persisted/in-memory throughput at ${users} users: ${throughput}× [target ≥ 0.5: ${verdict(throughput >= 0.5)}]; p99 ${large.persisted.p99} ms vs ${large.memory.p99} ms`,
  );
  console.log(
    `persisted/in-memory sequential update at ${users} users: ${seq}× (${large.persisted.sequentialMs.toFixed(2)} vs ${large.memory.sequentialMs.toFixed(2)} ms) [target ≤ 2: ${verdict(seq <= 2)}]`,
  );
  console.log(`persisted cost per update, ${users} users over 1,000 users: ${growth}× [target ≤ 1.5: ${verdict(growth <= 1.5)}]`);
  console.log(
    `startup with a log of ${replay.changesInLog} changes (${(replay.logBytes / 2 ** 20).toFixed(1)} MiB) over ${users} users: ${replay.startupMs} ms [target < 2000: ${verdict(replay.startupMs < 2000)}]`,
  );
  console.log(`disk used at ${users} users, peak during the load: ${disk}× the snapshot [target ≤ 3: ${verdict(disk <= 3)}]`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      users: { type: "string", default: "100000" },
      duration: { type: "string", default: "10" },
      connections: { type: "string", default: "50" },
      sequential: { type: "string", default: "400" },
    },
  });
  console.log(`cv-contract-kit persistence bench: ${values.connections} connections, ${values.duration} s per load, node ${process.version}`);
  const figures = await measurePersistence({
    users: Number(values.users),
    duration: Number(values.duration),
    connections: Number(values.connections),
    sequentialCount: Number(values.sequential),
  });
  printPersistence(figures);
}
