// The command line of the fake, as a user types it: the built `cv-contract-kit serve` with --body-limit, --delay and
// --journal, the version, and a clear refusal (exit 2) of a value it cannot use.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { json, KEY_A } from "../support/http.js";
import { spawnFake } from "../support/spawn-fake.js";

const BIN = fileURLToPath(new URL("../../bin/cv-contract-kit.js", import.meta.url));
const update = (url: string, data: Record<string, unknown>) =>
  fetch(`${url}/api/v1/users`, {
    method: "POST",
    headers: { "content-type": "application/json", "cv-api-key": KEY_A },
    body: JSON.stringify({ action: "UPDATE_PROFILE", data }),
  });

describe("cv-contract-kit serve flags", () => {
  it("--body-limit 1kb refuses a larger body with 413 and takes a smaller one", async () => {
    const fake = await spawnFake(["--body-limit", "1kb"]);
    try {
      const big = await update(fake.url, { email: "ana.free@clinic-a.test", address: "x".repeat(1100) });
      expect([big.status, ((await json(big)) as { message: string }).message]).toEqual([413, "Request body is larger than 1024 bytes"]);
      expect((await update(fake.url, { email: "ana.free@clinic-a.test", city: "Boston" })).status).toBe(200);
    } finally {
      await fake.kill();
    }
  });

  it("--delay 150 answers every API request late; --journal 2 keeps the last two", async () => {
    const fake = await spawnFake(["--delay", "150", "--journal", "2"]);
    try {
      for (const city of ["A", "B", "C"]) {
        const started = performance.now();
        expect((await update(fake.url, { email: "ana.free@clinic-a.test", city })).status).toBe(200);
        expect(performance.now() - started).toBeGreaterThanOrEqual(140);
      }
      const journal = (await json(await fetch(`${fake.url}/__admin/requests`))) as {
        capacity: number;
        held: number;
        dropped: number;
        requests: { body: { data: { city: string } } }[];
      };
      expect([journal.capacity, journal.held, journal.dropped]).toEqual([2, 2, 1]);
      expect(journal.requests.map((r) => r.body.data.city)).toEqual(["B", "C"]);
    } finally {
      await fake.kill();
    }
  });

  it.each([
    [["--body-limit", "lots"], "--body-limit"],
    [["--delay", "400-100"], "--delay"],
    [["--journal", "-1"], "--journal"],
    [["--journal", "100001"], "--journal must be a whole number from 0 to 100000"],
  ])("refuses %j with exit 2, naming the flag", (args, flag) => {
    const result = spawnSync(process.execPath, [BIN, "serve", "--port", "0", ...args], { encoding: "utf8", timeout: 15_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(flag);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("a misspelt command gets exit 2 and the command meant", () => {
    const result = spawnSync(process.execPath, [BIN, "srve"], { encoding: "utf8", timeout: 15_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Unknown command "srve" (did you mean serve?).');
  });

  it("--version prints the package's version", () => {
    const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    expect(execFileSync(process.execPath, [BIN, "--version"], { encoding: "utf8" }).trim()).toBe(version);
  });
});
