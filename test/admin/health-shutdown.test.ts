// Made for scripts: GET /__admin/health answers once the fake serves, POST /__admin/shutdown stops it cleanly (the
// `serve` process exits 0 with its state written; an embedded fake is closed), and `serve` on a taken port exits 2
// with one line. The shutdown answer is openapi.yaml's response example of the same name.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadContract, startFakeServer } from "../../src/index.js";
import { deref } from "../../src/contract/pointer.js";
import { json, KEY_A } from "../support/http.js";
import { spawnFake } from "../support/spawn-fake.js";
import { useFakeServers } from "../support/use-fake.js";
import { onDisk } from "../support/on-disk.js";

const BIN = fileURLToPath(new URL("../../bin/cv-contract-kit.js", import.meta.url));
const { spec } = loadContract();
type Operation = { responses: Record<string, { content: Record<string, { examples: Record<string, { value: unknown }> }> }> };
const example = (path: string, method: string, name: string) =>
  deref<{ value: unknown }>(spec, (spec.paths[path]![method] as Operation).responses["200"]!.content["application/json"]!.examples[name]).value;
const shutdown = (url: string, init: RequestInit = { headers: { "content-type": "application/json" }, body: "{}" }) =>
  fetch(`${url}/__admin/shutdown`, { method: "POST", ...init });
const version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

const dir = mkdtempSync(join(tmpdir(), "cv-health-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("GET /__admin/health", () => {
  const start = useFakeServers();

  it('answers 200 with { status: "ok", version } (the running version) as soon as startFakeServer resolves', async () => {
    const fake = await start();
    const response = await fetch(`${fake.url}/__admin/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = await json(response);
    expect(body).toEqual({ status: "ok", version });
    expect(Object.keys(spec.components.schemas.AdminHealth!.properties!).sort()).toEqual(Object.keys(body as object).sort());
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("refuses an undeclared query parameter and another site's page, as every admin path does", async () => {
    const fake = await start();
    expect((await fetch(`${fake.url}/__admin/health?verbose=1`)).status).toBe(400);
    expect((await fetch(`${fake.url}/__admin/health`, { headers: { origin: "https://evil.example" } })).status).toBe(403);
  });
});

describe("POST /__admin/shutdown", () => {
  const start = useFakeServers();

  it("in-process: answers the example, then closes the fake (closed settles, the port refuses)", async () => {
    const fake = await start();
    const response = await shutdown(fake.url);
    expect([response.status, await json(response)]).toEqual([200, example("/__admin/shutdown", "post", "shutdown")]);
    await fake.closed;
    await expect(fetch(`${fake.url}/__admin/health`)).rejects.toThrow(TypeError);
  });

  it("is refused without a JSON body, or from another site's page, and the fake keeps serving", async () => {
    const fake = await start();
    expect((await shutdown(fake.url, { headers: { "content-type": "text/plain" }, body: "{}" })).status).toBe(415);
    expect((await shutdown(fake.url, { headers: { "content-type": "application/json", origin: "https://evil.example" }, body: "{}" })).status).toBe(
      403,
    );
    expect((await fetch(`${fake.url}/__admin/health`)).status).toBe(200);
  });

  it("`serve --persist`: the process exits 0, the state file holds the last update and its lock is released", async () => {
    const state = join(dir, "state.json");
    const fake = await spawnFake(["--persist", state]);
    const update = await fetch(`${fake.url}/api/v1/users`, {
      method: "POST",
      headers: { "content-type": "application/json", "cv-api-key": KEY_A },
      body: JSON.stringify({ action: "UPDATE_PROFILE", data: { email: "ana.free@clinic-a.test", city: "Shutdown City" } }),
    });
    expect(update.status).toBe(200);
    expect((await shutdown(fake.url)).status).toBe(200);
    expect(await fake.kill("SIGCONT")).toBe(0); // SIGCONT ends nothing: this only waits for the exit
    expect(fake.output()).toContain("Stopped by POST /__admin/shutdown.");
    const saved = onDisk(state) as { users: { email: string; city?: string }[] };
    expect(saved.users.find((u) => u.email === "ana.free@clinic-a.test")?.city).toBe("Shutdown City");
    // The lock is gone: a successor starts on the same file at once.
    const successor = await spawnFake(["--persist", state]); // it listens: a second fake on a locked file is refused
    // The banner comes first, the state file's line right after it: wait for that line (bounded).
    for (let i = 0; i < 100 && !successor.output().includes("State loaded from"); i++) await new Promise((r) => setTimeout(r, 20));
    expect(successor.output()).toContain(`State loaded from ${state}`);
    expect(await successor.kill()).toBe(0);
  });
});

describe("serve on a taken port", () => {
  it("exits 2 with one line that says what to do, and no stack trace", async () => {
    const taken = await startFakeServer();
    try {
      const run = spawnSync(process.execPath, [BIN, "serve", "--port", String(taken.port)], { encoding: "utf8", timeout: 15_000 });
      expect(run.status).toBe(2);
      expect(run.stderr.trim().split("\n")).toEqual([
        `cv-contract-kit serve: port ${taken.port} on 127.0.0.1 is taken by another process: pass --port <n> (or CV_FAKE_PORT), or --port 0 for a free one.`,
      ]);
      expect(run.stdout).toBe("");
    } finally {
      await taken.close();
    }
  });
});
