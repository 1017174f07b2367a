// npm run bench: the fake beside a bare node:http baseline (and prism mock when installed), in one run, on
// loopback. Prints req/s, p50/p99 latency, errors, responses outside the contract, startup time to the first 200
// and peak RSS for each, then the fake/baseline ratios, the conformance suite's wall time against the fake, and
// 10,000 generated requests (--fuzz) against it; then the in-process fake (createFake().fetch, no socket) beside an
// in-process baseline, and what the request journal costs; then --persist beside in memory (bench/persistence.js).
// With --runs n, the HTTP pairs (baseline, fake) run n times and the ratios reported are the medians: a single run
// moves by about ±0.1 on a shared machine.
// Writes the figures to reports/bench.json. Options: --duration s (10), --connections n (50), --users n (100000),
// --fuzz n (10000), --runs n (1).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { loadContract, loadTarget, runConformance } from "../dist/index.js";
import { generatedFixtures, updatableEmails, KEY_A } from "./fixtures.js";
import { measureInProcess } from "./in-process.js";
import { measurePersistence, printPersistence } from "./persistence.js";
import { mixed, successOnly } from "./workloads.js";

const ROOT = new URL("..", import.meta.url).pathname;
const { values: opts } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "50" },
    users: { type: "string", default: "100000" },
    fuzz: { type: "string", default: "10000" },
    runs: { type: "string", default: "1" },
  },
});
const FUZZ_RUNS = Number(opts.fuzz);
const RUNS = Number(opts.runs);
const DURATION = Number(opts.duration);
const CONNECTIONS = Number(opts.connections);
const USERS = Number(opts.users);
const contract = loadContract();
const validate = (status, body) => {
  const check = contract.responseValidator("/api/v1/users", "post", status);
  if (!check) return false;
  try {
    return check(JSON.parse(body)).length === 0;
  } catch {
    return false;
  }
};

// ---- fixture sets on disk ----
const dir = mkdtempSync(join(tmpdir(), "cv-bench-"));
const defaultPath = join(ROOT, "fixtures/default.json");
const bigPath = join(dir, `fixtures-${USERS}.json`);
writeFileSync(bigPath, JSON.stringify(generatedFixtures(USERS)));

const defaultAccounts = {
  updatable: ["ana.free@clinic-a.test", "john.doe@example.com", "carla.open@clinic-a.test", "fay.phone@clinic-a.test"],
  otherOrganization: "eve.other@clinic-b.test",
  staff: "dan.staff@clinic-a.test",
  locked: "ben.locked@clinic-a.test",
  takenPhone: "+15550000007",
};
const bigUpdatable = updatableEmails(USERS, 64);
const bigAccounts = {
  updatable: bigUpdatable,
  otherOrganization: "user3@bench.test",
  staff: "user1@bench.test",
  locked: "user20@bench.test",
  takenPhone: "+15550000005",
};

// ---- process helpers ----
async function startProcess(command, args, probeBody) {
  const started = performance.now();
  const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (c) => (output += c));
  child.stderr.on("data", (c) => (output += c));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no port within 30 s: ${output}`)), 30_000);
    const look = () => {
      const m = /(?:listening on http:\/\/127\.0\.0\.1:|listening |Prism is listening on http:\/\/127\.0\.0\.1:)(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      } else if (child.exitCode !== null) reject(new Error(output));
      else setTimeout(look, 2);
    };
    look();
  });
  // Startup = spawn until the first 200 to a real update request.
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/users`, probeBody);
      await r.text();
      if (r.status === 200) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  const startupMs = performance.now() - started;
  return { child, port, startupMs, url: `http://127.0.0.1:${port}` };
}

function peakRssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

/**
 * CPU seconds (user + system, all threads) the process has used so far, from /proc; undefined off Linux. The bench
 * reads it around each load: CPU per request is the server's own cost, whatever the load generator beside it on
 * the same cores does (ticks are USER_HZ, 100 a second on Linux).
 */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", resolve);
    child.kill("SIGTERM");
  });
}

async function load(url, requests, checkContract, pid) {
  let outside = 0;
  let seen = 0;
  const wired = requests.map(({ expected, ...request }) => ({
    ...request,
    onResponse: (status, body) => {
      seen++;
      // Every status is checked; every 25th body is validated against openapi.yaml too (keeps the load generator
      // light). The load generator does this work for every target, so the comparison stays fair; only the fake
      // is expected to conform (the baseline has no rules, prism answers its examples).
      if (status !== expected || (seen % 25 === 0 && !validate(status, body))) outside++;
    },
  }));
  const cpuBefore = cpuSeconds(pid);
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, requests: wired });
  const cpuAfter = cpuSeconds(pid);
  return {
    cpuUsPerRequest:
      cpuBefore === undefined || cpuAfter === undefined
        ? null
        : Number((((cpuAfter - cpuBefore) * 1e6) / Math.max(1, result.requests.total)).toFixed(1)),
    reqPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    responses: seen,
    outsideContract: checkContract ? outside : null,
  };
}

const probe = (email) => ({
  method: "POST",
  headers: { "content-type": "application/json", "cv-api-key": KEY_A },
  body: JSON.stringify({ action: "UPDATE_PROFILE", data: { email } }),
});

async function measure(name, command, args, accounts, options = {}) {
  process.stdout.write(`  ${name}: starting… `);
  const server = await startProcess(command, args, probe(options.probeEmail ?? accounts.updatable[0]));
  process.stdout.write(`up in ${server.startupMs.toFixed(0)} ms; success-only… `);
  const success = await load(server.url, successOnly(accounts.updatable), options.checkContract, server.child.pid);
  process.stdout.write("mixed… ");
  const mix = await load(server.url, mixed(accounts), options.checkContract, server.child.pid);
  let conformanceMs = null;
  if (options.conformance) {
    await fetch(`${server.url}/__admin/reset`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    const t = performance.now();
    const summary = await runConformance({
      baseUrl: server.url,
      apiKey: KEY_A,
      target: loadTarget(join(ROOT, "conformance/targets/fake-default.yaml")),
    });
    conformanceMs = performance.now() - t;
    if (summary.exitCode !== 0) throw new Error(`conformance against the bench fake exited ${summary.exitCode}`);
  }
  let fuzz = null;
  if (options.fuzz) {
    // Generated requests (conform --fuzz): their wall time, and the growth of this process's memory meanwhile.
    await fetch(`${server.url}/__admin/reset`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);
    const t = performance.now();
    const summary = await runConformance({
      baseUrl: server.url,
      apiKey: KEY_A,
      target: loadTarget(join(ROOT, "conformance/targets/fake-default.yaml")),
      only: ["fuzz"],
      fuzz: { runs: FUZZ_RUNS, seed: 20261127 },
    });
    clearInterval(sampler);
    const requests = summary.results.reduce((sum, r) => sum + (r.fuzz?.runs ?? 0), 0);
    fuzz = {
      generated: requests,
      ms: Math.round(performance.now() - t),
      findings: summary.results.filter((r) => r.fuzz && r.status !== "passed").length,
      rssGrowthMb: Math.round((rssPeak - rssBefore) / 2 ** 20),
    };
    if (summary.exitCode !== 0 || fuzz.findings > 0) throw new Error(`fuzzing the bench fake found something (exit ${summary.exitCode})`);
  }
  const rss = peakRssMb(server.child.pid);
  await stop(server.child);
  console.log("done");
  return {
    name,
    startupMs: Math.round(server.startupMs),
    success,
    mixed: mix,
    peakRssMb: Math.round(rss),
    conformanceMs: conformanceMs && Math.round(conformanceMs),
    fuzz,
  };
}

// ---- run ----
console.log(
  `cv-contract-kit bench: ${CONNECTIONS} connections, ${DURATION} s per load, ${USERS} generated users, ${RUNS} run(s); node ${process.version}, ${cpus().length} cores`,
);
const node = process.execPath;
const cli = join(ROOT, "bin/cv-contract-kit.js");
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const ratio = (a, b) => (b === 0 ? NaN : Number((a / b).toFixed(2)));
const runs = [];
for (let run = 1; run <= RUNS; run++) {
  if (RUNS > 1) console.log(`run ${run} of ${RUNS}`);
  const first = run === 1; // the conformance suite, --fuzz and prism run once
  const r = {};
  r.baseDefault = await measure("baseline (default fixtures)", node, [join(ROOT, "bench/baseline-server.js"), defaultPath, "0"], defaultAccounts);
  r.fakeDefault = await measure("fake (default fixtures)", node, [cli, "serve", "--port", "0"], defaultAccounts, {
    checkContract: true,
    conformance: first,
    fuzz: first,
  });
  r.fakeNoJournal = await measure("fake, --journal 0 (default)", node, [cli, "serve", "--port", "0", "--journal", "0"], defaultAccounts, {
    checkContract: true,
  });
  r.baseBig = await measure(`baseline (${USERS} users)`, node, [join(ROOT, "bench/baseline-server.js"), bigPath, "0"], bigAccounts);
  r.fakeBig = await measure(`fake (${USERS} users)`, node, [cli, "serve", "--port", "0", "--fixtures", bigPath], bigAccounts, {
    checkContract: true,
  });
  runs.push(r);
}
const prism = join(ROOT, "node_modules/.bin/prism");
let prismResult = null;
if (existsSync(prism)) {
  // Prism is stateless: it answers its examples, so only its speed is comparable, not its statuses.
  prismResult = await measure("prism mock (openapi.yaml)", node, [prism, "mock", "-h", "127.0.0.1", "-p", "0", "openapi.yaml"], defaultAccounts, {
    probeEmail: "john.doe@example.com",
  });
}
process.stdout.write("  in-process (createFake().fetch, no socket): ");
const inProcess = await measureInProcess({ success: successOnly(defaultAccounts.updatable), mixed: mixed(defaultAccounts) }, DURATION);
console.log("done");
console.log("  --persist beside in memory (bench/persistence.js):");
const persistence = await measurePersistence({ users: USERS, duration: DURATION, connections: CONNECTIONS, bigPath });

// ---- report ----
const pad = (v, n) => String(v).padStart(n);
const last = runs.at(-1);
const table = [last.baseDefault, last.fakeDefault, last.fakeNoJournal, last.baseBig, last.fakeBig, ...(prismResult ? [prismResult] : [])];
console.log(
  `\n${"target (last run)".padEnd(30)}${pad("start ms", 9)}${pad("success r/s", 12)}${pad("p50", 5)}${pad("p99", 5)}${pad("mixed r/s", 10)}${pad("p50", 5)}${pad("p99", 5)}${pad("errors", 7)}${pad("outside", 8)}${pad("RSS MB", 7)}${pad("CPU µs/req", 17)}`,
);
for (const r of table) {
  console.log(
    `${r.name.padEnd(30)}${pad(r.startupMs, 9)}${pad(r.success.reqPerSec, 12)}${pad(r.success.p50, 5)}${pad(r.success.p99, 5)}${pad(r.mixed.reqPerSec, 10)}${pad(r.mixed.p50, 5)}${pad(r.mixed.p99, 5)}${pad(r.success.errors + r.mixed.errors, 7)}${pad(r.success.outsideContract === null ? "-" : r.success.outsideContract + r.mixed.outsideContract, 8)}${pad(r.peakRssMb, 7)}${pad(`${r.success.cpuUsPerRequest ?? "-"} / ${r.mixed.cpuUsPerRequest ?? "-"}`, 17)}`,
  );
}
const ratios = {};
for (const [fake, base, label] of [
  ["fakeDefault", "baseDefault", "default fixtures"],
  ["fakeBig", "baseBig", `${USERS} users`],
]) {
  const each = runs.map((r) => ({
    successThroughput: ratio(r[fake].success.reqPerSec, r[base].success.reqPerSec),
    mixedThroughput: ratio(r[fake].mixed.reqPerSec, r[base].mixed.reqPerSec),
    successP99: ratio(r[fake].success.p99, Math.max(r[base].success.p99, 1)),
    mixedP99: ratio(r[fake].mixed.p99, Math.max(r[base].mixed.p99, 1)),
    // The server's own cost: baseline CPU per request over the fake's (1 = as cheap as the baseline).
    successCpu: ratio(r[base].success.cpuUsPerRequest ?? 0, r[fake].success.cpuUsPerRequest ?? 0),
    mixedCpu: ratio(r[base].mixed.cpuUsPerRequest ?? 0, r[fake].mixed.cpuUsPerRequest ?? 0),
  }));
  const m = Object.fromEntries(Object.keys(each[0]).map((k) => [k, median(each.map((e) => e[k]))]));
  ratios[label] = { ...m, runs: each };
  const spread = (k) => (RUNS > 1 ? ` (runs: ${each.map((e) => e[k]).join(", ")})` : "");
  console.log(
    `fake/baseline, ${label}, median of ${RUNS}: throughput ${m.successThroughput}×${spread("successThroughput")} success, ${m.mixedThroughput}×${spread("mixedThroughput")} mixed [target ≥ 0.8]; p99 ${m.successP99}× / ${m.mixedP99}× [target ≤ 2]`,
  );
  console.log(
    `  server CPU per request, baseline/fake, median of ${RUNS}: ${m.successCpu}×${spread("successCpu")} success, ${m.mixedCpu}×${spread("mixedCpu")} mixed (the throughput ratio the server alone would allow)`,
  );
}
const startups = runs.map((r) => r.fakeDefault.startupMs);
console.log(
  `fake startup to first 200, default fixtures: median ${median(startups)} ms (runs: ${startups.join(", ")}) [target ≤ 250]; ${last.fakeBig.startupMs} ms with ${USERS} users [target ≤ 2000]`,
);
console.log(`fake peak RSS with ${USERS} users: ${last.fakeBig.peakRssMb} MB [target ≤ 200]`);
const journalHttp = runs.map((r) => ({
  success: ratio(r.fakeDefault.success.reqPerSec, r.fakeNoJournal.success.reqPerSec),
  mixed: ratio(r.fakeDefault.mixed.reqPerSec, r.fakeNoJournal.mixed.reqPerSec),
}));
console.log(
  `request journal on/off over HTTP, median: ${median(journalHttp.map((j) => j.success))}× success, ${median(journalHttp.map((j) => j.mixed))}× mixed`,
);
const ip = inProcess;
console.log(
  `in-process req/s (one request at a time, no socket): baseline ${ip.baseline.success.reqPerSec} / ${ip.baseline.mixed.reqPerSec}, fake ${ip.fake.success.reqPerSec} / ${ip.fake.mixed.reqPerSec}, fake journal off ${ip["fake, journal off"].success.reqPerSec} / ${ip["fake, journal off"].mixed.reqPerSec} (success / mixed)`,
);
console.log(
  `in-process fake/baseline: ${ratio(ip.fake.success.reqPerSec, ip.baseline.success.reqPerSec)}× success, ${ratio(ip.fake.mixed.reqPerSec, ip.baseline.mixed.reqPerSec)}× mixed; journal on/off: ${ratio(ip.fake.success.reqPerSec, ip["fake, journal off"].success.reqPerSec)}× success, ${ratio(ip.fake.mixed.reqPerSec, ip["fake, journal off"].mixed.reqPerSec)}× mixed; unexpected statuses: ${ip.fake.success.unexpected + ip.fake.mixed.unexpected}`,
);
const first = runs[0].fakeDefault;
console.log(`conformance suite against the local fake: ${first.conformanceMs} ms wall [target ≤ 5000]`);
const f = first.fuzz;
console.log(
  `--fuzz against the local fake: ${f.generated} generated requests in ${(f.ms / 1000).toFixed(1)} s [target ≤ 20 s], ${f.findings} findings, driver RSS growth ${f.rssGrowthMb} MB`,
);

printPersistence(persistence);

mkdirSync(join(ROOT, "reports"), { recursive: true });
const out = join(ROOT, "reports/bench.json");
writeFileSync(
  out,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cores: cpus().length,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      connections: CONNECTIONS,
      durationS: DURATION,
      users: USERS,
      runs,
      prism: prismResult,
      inProcess,
      ratios,
      journalHttp,
      persistence,
    },
    null,
    2,
  ),
);
console.log(`figures written to ${out}`);
