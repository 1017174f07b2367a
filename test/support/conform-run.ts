// Runs `cv-contract-kit conform` in-process against a target, the way a QA team would from the command line, and
// gathers everything a person or CI would see: exit code, stdout, stderr, both reports, time, and what the run left
// changed on the target.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { conformCommand } from "../../src/cli/conform.js";
import type { ForeignDeployment } from "./foreign-deployment.js";
import { checkedReport } from "./report-schema.js";

/**
 * Requests the preflight sends to a foreign deployment before the first scenario: the probe of an unknown email, a
 * search for updatableUser (how to read profiles), and a read of each of the six accounts.
 */
export const PREFLIGHT_REQUESTS = 8;

export interface ConformRun {
  code: number;
  stdout: string;
  stderr: string;
  junit: string;
  json: string;
  html: string;
  ms: number;
  /** "email.field" for every profile field that differs from before the run. */
  changed: string[];
  /** Highest RSS growth seen during the run, in MB (sampled every 20 ms). */
  peakRssGrowthMb: number;
}

export interface ConformRunOptions {
  /** Replaces the target file's content (default: the deployment's QA accounts and free phone number). */
  target?: Record<string, unknown>;
  /** Default: the deployment's key. null: none given. */
  apiKey?: string | null;
  /** Default: the deployment's URL. */
  baseUrl?: string;
}

export function targetFileOf(deployment: ForeignDeployment): Record<string, unknown> {
  return { accounts: structuredClone(deployment.accounts), freePhoneNumber: deployment.freePhoneNumber };
}

export async function conform(deployment: ForeignDeployment, args: string[] = [], options: ConformRunOptions = {}): Promise<ConformRun> {
  const dir = mkdtempSync(join(tmpdir(), "cv-conform-run-"));
  const targetFile = join(dir, "target.yaml");
  writeFileSync(targetFile, stringify(options.target ?? targetFileOf(deployment)));
  const key = options.apiKey === undefined ? deployment.apiKey : options.apiKey;
  const argv = [
    "--base-url",
    options.baseUrl ?? deployment.url,
    "--target",
    targetFile,
    "--junit",
    join(dir, "c.xml"),
    "--json",
    join(dir, "c.json"),
    "--html",
    join(dir, "c.html"),
    ...(key === null ? [] : ["--api-key", key]),
    ...args,
  ];
  const before = deployment.profiles();
  const stdout: string[] = [];
  const stderr: string[] = [];
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  const code = await conformCommand(
    argv,
    (l) => stdout.push(l),
    (l) => stderr.push(l),
  );
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const after = deployment.profiles();
  const changed = Object.keys(before).flatMap((email) =>
    Object.keys(before[email]!)
      .filter((f) => JSON.stringify(before[email]![f]) !== JSON.stringify(after[email]?.[f]))
      .map((f) => `${email}.${f}`),
  );
  const read = (name: string) => {
    try {
      return readFileSync(join(dir, name), "utf8");
    } catch {
      return "";
    }
  };
  const json = read("c.json");
  if (json !== "") checkedReport(json); // every report a test makes keeps to conformance/report.schema.json
  return {
    code,
    stdout: stdout.join("\n"),
    stderr: stderr.join("\n"),
    junit: read("c.xml"),
    json,
    html: read("c.html"),
    ms,
    changed,
    peakRssGrowthMb: Math.round((peak - baseline) / 2 ** 20),
  };
}

/** Ids of the scenarios with this mark in the console output (✗ failed, ! warned, ✓ passed, E error, - skipped). */
export function marked(run: ConformRun, mark: string): string[] {
  return [...run.stdout.matchAll(new RegExp(`^  ${mark.replace(/[!]/g, "\\$&")} ([\\w-]+)`, "gm"))].map((m) => m[1]!).sort();
}

/** `conform` as a child process (the built CLI), sent SIGINT half a second after its preflight. */
export async function interruptedRun(deployment: ForeignDeployment, args: string[]): Promise<ConformRun & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), "cv-int-"));
  const file = join(dir, "target.yaml");
  writeFileSync(file, stringify(targetFileOf(deployment)));
  const bin = fileURLToPath(new URL("../../bin/cv-contract-kit.js", import.meta.url));
  const child = spawn(
    process.execPath,
    [bin, "conform", "--base-url", deployment.url, "--api-key", deployment.apiKey, "--target", file, "--junit", join(dir, "c.xml"), ...args],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number>((resolve) => child.once("exit", (c) => resolve(c ?? -1)));
  while (!stdout.includes("Preflight:") && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 500));
  child.kill("SIGINT");
  const code = await exited;
  const junit = readFileSync(join(dir, "c.xml"), "utf8");
  return { code, stdout, stderr, junit, json: "", html: "", ms: 0, changed: [], peakRssGrowthMb: 0, dir };
}
