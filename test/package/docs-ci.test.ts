// docs/ci.md's workflow, its fake job run for real: the shell steps of `app-tests` (all but `npm ci`) are taken from
// the page, each run in its own bash as a runner runs a step, in an app folder that has the kit installed (a link to
// this repository) and one test of its own. The fake must start in the background, be waited on through
// /__admin/health, serve the app's test, and be stopped by /__admin/shutdown, leaving the port free.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { freePort } from "../support/prism.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const page = readFileSync(join(ROOT, "docs/ci.md"), "utf8");

type Step = { name?: string; run?: string; uses?: string; if?: string; env?: Record<string, string> };
type Job = { env?: Record<string, string>; steps: Step[]; concurrency?: { group: string; "cancel-in-progress": boolean } };
const workflow = parse(/```yaml\n([\s\S]*?)```/.exec(page)![1]!) as { jobs: Record<string, Job> };

/** A runner's expression `${{ env.NAME }}`; the fake job uses no other (no secret). */
function expand(text: string, env: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expression: string) => {
    const name = /^env\.(\w+)$/.exec(expression)?.[1];
    if (!name || env[name] === undefined) throw new Error(`docs/ci.md: the app-tests job uses \${{ ${expression} }}, which this test cannot give`);
    return env[name];
  });
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe("docs/ci.md", () => {
  it("runs on Node 24; the jobs that write on staging share one concurrency group, never cancelled half-way", () => {
    expect(page.match(/node-version: (\d+)/g)!.every((line) => line.endsWith(" 24"))).toBe(true);
    const { conformance, drift } = workflow.jobs;
    expect(conformance!.concurrency).toEqual(drift!.concurrency);
    expect(conformance!.concurrency).toMatchObject({ "cancel-in-progress": false });
    const runs = (job: Job) => job.steps.map((s) => s.run ?? "").join("\n");
    expect(runs(conformance!)).toMatch(/cv-contract-kit conform .*--junit reports\/conformance\.xml --html reports\/conformance\.html/);
    expect(conformance!.steps.some((s) => s.uses?.startsWith("actions/upload-artifact") && s.if === "always()")).toBe(true);
    expect(runs(drift!)).toContain("cv-contract-kit drift");
  });

  it("the app-tests job's shell steps start the fake, wait on its health, serve the app's tests, and shut it down", async () => {
    const job = workflow.jobs["app-tests"]!;
    const steps = job.steps.filter((s) => s.run !== undefined && s.run.trim() !== "npm ci");
    expect(steps.map((s) => s.name ?? s.run)).toEqual([
      "Start the fake in the background and wait until it serves",
      "The app's tests, against the fake",
      "Stop the fake",
    ]);

    // The app: the kit installed (linked, as npm links a dependency's bin), and a test that updates a profile.
    const app = mkdtempSync(join(tmpdir(), "cv-ci-app-"));
    dirs.push(app);
    mkdirSync(join(app, "node_modules/.bin"), { recursive: true });
    symlinkSync(ROOT, join(app, "node_modules/cv-contract-kit"));
    symlinkSync("../cv-contract-kit/bin/cv-contract-kit.js", join(app, "node_modules/.bin/cv-contract-kit"));
    writeFileSync(
      join(app, "package.json"),
      JSON.stringify({ name: "app", version: "1.0.0", private: true, scripts: { test: "node app.test.mjs" } }),
    );
    writeFileSync(
      join(app, "app.test.mjs"),
      `const response = await fetch(process.env.CAREVALIDATE_BASE_URL + "/api/v1/users", {
  method: "POST",
  headers: { "content-type": "application/json", "cv-api-key": process.env.CAREVALIDATE_API_KEY },
  body: JSON.stringify({ action: "UPDATE_PROFILE", data: { email: "ana.free@clinic-a.test", city: "Runner City" } }),
});
const body = await response.json();
if (response.status !== 200 || body.data.user.city !== "Runner City") { console.error("app test failed", response.status, body); process.exit(1); }
console.log("app test passed");
`,
    );

    const port = String(await freePort());
    const jobEnv: Record<string, string> = { ...job.env, FAKE_PORT: port };
    const outputs: string[] = [];
    try {
      for (const step of steps) {
        const env = {
          ...process.env,
          ...jobEnv,
          ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(String(v), jobEnv)])),
        };
        // As a runner runs a `run:` step on Linux: bash --noprofile --norc -eo pipefail, in the checkout.
        const run = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", expand(step.run!, jobEnv)], {
          cwd: app,
          env,
          encoding: "utf8",
          timeout: 30_000,
        });
        outputs.push(`$ ${step.name}\n${run.stdout}${run.stderr}`);
        expect(run.status, outputs.join("\n")).toBe(0);
      }
      const all = outputs.join("\n");
      expect(all).toContain(`The fake serves on http://127.0.0.1:${port}`);
      expect(all).toContain("app test passed");
      expect(all).toContain('"message": "Stopping the fake server"');
      expect(all).toContain("Stopped by POST /__admin/shutdown.");
      // The port is free again: the server itself stopped, not only npx.
      await expect(fetch(`http://127.0.0.1:${port}/__admin/health`)).rejects.toThrow(TypeError);
    } finally {
      // Whatever failed above, leave no fake behind.
      await fetch(`http://127.0.0.1:${port}/__admin/shutdown`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }).catch(
        () => undefined,
      );
    }
  }, 60_000);
});
