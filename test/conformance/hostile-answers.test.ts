// Hostile answers from a target: the suite stays bounded in memory and time, ends with the right exit code, and
// never shows the API key, in any form, on stdout, stderr or in any report (JUnit, JSON, HTML). The key here holds
// `"` and `\` (so its JSON and XML forms differ from the raw one), and the target echoes it everywhere it can.
import { createGzip } from "node:zlib";
import type { ServerResponse } from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { createRedactor } from "../../src/conformance/redact.js";
import { conform, PREFLIGHT_REQUESTS, type ConformRun } from "../support/conform-run.js";
import { useForeignDeployments } from "../support/use-foreign.js";
import { startForeignDeployment, type ForeignRequest } from "../support/foreign-deployment.js";

const KEY = 'sk_live_"quoted"\\back\\slash_7Qp2xZ9wLm4Rt8Vn3Kc6';
const KEY_IN_JSON = JSON.stringify(KEY).slice(1, -1);
/** The preflight sends 1 probe and reads the 6 QA accounts: requests from this index on are the scenarios'. */
const FIRST_SCENARIO_REQUEST = PREFLIGHT_REQUESTS;

const start = useForeignDeployments({ apiKey: KEY });

/** lock-first-name's request: the scenario a hostile answer hits. */
const lockFirstName = (r: ForeignRequest) => r.index >= FIRST_SCENARIO_REQUEST && r.body.includes("qa.locked") && r.body.includes('"firstName"');

/** Writes chunks for as long as the client reads. */
function pump(res: ServerResponse | NodeJS.WritableStream, chunk: Buffer, sink: ServerResponse): void {
  let open = true;
  sink.on("close", () => (open = false));
  const go = () => {
    while (open && res.write(chunk));
    if (open) res.once("drain", go);
  };
  go();
}

function expectNoKey(run: ConformRun): void {
  for (const [where, text] of Object.entries({ stdout: run.stdout, stderr: run.stderr, junit: run.junit, json: run.json, html: run.html })) {
    for (let i = 0; i + 12 <= KEY.length; i++) {
      const window = KEY.slice(i, i + 12);
      expect(text.includes(window), `${where} holds "${window}" of the key`).toBe(false);
      expect(text.includes(JSON.stringify(window).slice(1, -1)), `${where} holds "${window}" of the key, JSON-escaped`).toBe(false);
    }
    expect(text).not.toContain(KEY_IN_JSON);
    expect(text).not.toContain(KEY.replace(/"/g, "&quot;"));
  }
}

describe("hostile answers: bounded, the right exit code, the key never shown", () => {
  // One ordinary run first, so the memory measured below is what a hostile answer costs and not the first run's
  // loading of modules and compiling of the contract's validators (some 70 MB on Node 20, 120 MB on Node 24).
  beforeAll(async () => {
    const plain = await startForeignDeployment({ apiKey: KEY });
    try {
      expect((await conform(plain)).code).toBe(0);
    } finally {
      await plain.close();
    }
  }, 60_000);

  it("an endless body is read up to 1 MiB, then reported as too large (exit 1)", async () => {
    const d = await start({
      intercept: (r, res) => {
        if (!lockFirstName(r)) return false;
        res.writeHead(400, { "content-type": "application/json" });
        pump(res, Buffer.from(`{"message":"${KEY_IN_JSON}",`.repeat(2000)), res);
        return true;
      },
    });
    const run = await conform(d);
    console.log(`[hostile] endless body: exit ${run.code}, ${Math.round(run.ms)} ms, peak RSS growth ${run.peakRssGrowthMb} MB`);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /✗ lock-first-name[\s\S]*content_type_json:\n {8}Received: a body over 1048576 bytes \(response too large; the rest was not read\)/,
    );
    expect(run.peakRssGrowthMb).toBeLessThan(150);
    expect(run.ms).toBeLessThan(15_000);
    expect(run.changed).toEqual([]);
    expectNoKey(run);
  });

  it("a gzip bomb is decompressed only up to 1 MiB (exit 1)", async () => {
    const d = await start({
      intercept: (r, res) => {
        if (!lockFirstName(r)) return false;
        res.writeHead(400, { "content-type": "application/json", "content-encoding": "gzip" });
        const gzip = createGzip();
        gzip.pipe(res);
        pump(gzip, Buffer.from(`"${KEY_IN_JSON}" `.repeat(20_000)), res);
        return true;
      },
    });
    const run = await conform(d);
    console.log(`[hostile] gzip bomb: exit ${run.code}, ${Math.round(run.ms)} ms, peak RSS growth ${run.peakRssGrowthMb} MB`);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/content_type_json:\n {8}Received: a body over 1048576 bytes/);
    expect(run.peakRssGrowthMb).toBeLessThan(150);
    expect(run.ms).toBeLessThan(15_000);
    expectNoKey(run);
  });

  it("a target that stalls after the headers: three timeouts in a row stop the run (exit 2), nothing left changed", async () => {
    const d = await start({
      intercept: (r, res) => {
        if (r.index < FIRST_SCENARIO_REQUEST) return false;
        res.writeHead(200, { "content-type": "application/json", "x-echo": KEY_IN_JSON });
        res.write(`{"status":200,"note":"${KEY_IN_JSON}"`);
        return true; // and never end
      },
    });
    const run = await conform(d, ["--timeout", "300"]);
    console.log(`[hostile] stall after headers: exit ${run.code}, ${Math.round(run.ms)} ms, ${d.requestCount()} requests`);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(
      /• The target stopped answering: 3 requests in a row got no answer \(the last: no answer from .* within 300 ms\)\. The run stopped; \d+ scenario\(s\) not run\./,
    );
    expect(run.ms).toBeLessThan(10_000);
    expect(d.requestCount()).toBeLessThan(FIRST_SCENARIO_REQUEST + 6);
    expect(run.junit).toMatch(/<testcase classname="conformance.run" name="run">\s*<error message="The target stopped answering/);
    expectNoKey(run);
  });

  it("a write that never gets an answer may land later: the run says so and stops at once (exit 2)", async () => {
    const d = await start({ intercept: (r) => r.index >= FIRST_SCENARIO_REQUEST && r.body.includes('"city"') });
    const run = await conform(d, ["--timeout", "200"]);
    console.log(`[hostile] a write that never gets an answer: exit ${run.code}, ${Math.round(run.ms)} ms, ${d.requestCount()} requests`);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(
      "!!! RESTORE FAILED for accounts.updatableUser: a request to qa.updatable@acme.test timed out; 1000 ms later it is unchanged, but the write may still land. Check it by hand later",
    );
    expect(run.stdout).toMatch(/• A profile could not be restored \(success-partial-update\): the run stopped so as not to change more\./);
    expect(run.ms).toBeLessThan(10_000);
    expect(run.changed).toEqual([]);
  });

  it("an account that cannot be read: after three scenarios in a row could not finish, the run stops (exit 2)", async () => {
    const d = await start({
      intercept: (r, res) => {
        if (r.index < FIRST_SCENARIO_REQUEST || !r.body.includes("qa.updatable") || r.body.includes('"city"')) return false;
        res.writeHead(503, { "content-type": "application/json" }).end('{"status":503,"success":false,"message":"Replica down"}');
        return true;
      },
    });
    const run = await conform(d, ["--timeout", "500"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(
      /• 3 scenarios in a row could not be finished \(the last: could not read accounts\.updatableUser .*503 "Replica down".*\)\. The run stopped; \d+ scenario\(s\) not run\./,
    );
    expect(run.ms).toBeLessThan(15_000);
    expect(run.changed).toEqual([]);
  });

  it("a 429 on every scenario request, Retry-After too long to wait: the run stops (exit 2)", async () => {
    const d = await start({
      intercept: (r, res) => {
        if (r.index < FIRST_SCENARIO_REQUEST) return false;
        res
          .writeHead(429, { "content-type": "application/json", "retry-after": "3600" })
          .end(JSON.stringify({ status: 429, success: false, message: `Rate limit for ${KEY}` }));
        return true;
      },
    });
    const run = await conform(d);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(
      /The target stopped answering: 3 requests in a row got no answer but a rate limit \(the last: 429 Too Many Requests \(Retry-After: 3600\)\)/,
    );
    expect(run.ms).toBeLessThan(5000);
    expectNoKey(run);
  });

  it("a redirect to a URL that carries the key: exit 2, the key redacted from the Location shown", async () => {
    const d = await start({
      intercept: (_, res) => (res.writeHead(302, { location: `https://collector.example/?k=${encodeURIComponent(KEY)}&raw=${KEY}` }).end(), true),
    });
    const run = await conform(d);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/• --base-url redirects: POST .* answered 302 to https:\/\/collector\.example\/\?k=<redacted>&raw=<redacted>/);
    expectNoKey(run);
  });

  it("a key echoed where the display cuts the text: no part of it is shown", async () => {
    // Each request gets the key at another offset, so that some echo straddles every cut the reports make.
    const d = await start({
      intercept: (r, res) => {
        if (r.index < FIRST_SCENARIO_REQUEST || !r.body.includes('"city"')) return false;
        const message = `${"x".repeat(40 + ((r.index * 7) % 280))}${KEY} tail`;
        res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ status: 400, success: false, message }));
        return true;
      },
    });
    const run = await conform(d, ["--strict-wording", "--verbose"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("<redacted>");
    expectNoKey(run);
  });
});

describe("the redactor", () => {
  const redact = createRedactor([KEY]);
  it.each([
    ["as sent", `a ${KEY} b`],
    ["JSON-escaped", `{"m":"${KEY_IN_JSON}"}`],
    ["XML-escaped", `<e m="${KEY.replace(/"/g, "&quot;")}"/>`],
    ["URL-encoded", `?k=${encodeURIComponent(KEY)}`],
    ["cut through, before an ellipsis", `${"x".repeat(10)}${KEY.slice(0, 20)}… (300 characters)`],
    ["cut through, at the end", `${"x".repeat(10)}${KEY.slice(0, 9)}`],
  ])("drops the key %s", (_, text) => {
    const out = redact(text);
    expect(out).toContain("<redacted>");
    for (let i = 0; i + 8 <= KEY.length; i++) expect(out).not.toContain(KEY.slice(i, i + 8));
  });

  it("leaves text without the key alone", () => {
    expect(redact("Profile updated successfully")).toBe("Profile updated successfully");
  });
});
