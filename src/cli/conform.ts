/**
 * @module cli/conform
 * `cv-contract-kit conform`: the conformance suite against any base URL.
 * Exit codes: 0 every gating check passed; 1 the target breaks the contract; 2 the suite could not run.
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createConsoleReporter } from "../conformance/reporters/console-reporter.js";
import { writeJsonReport } from "../conformance/reporters/json-reporter.js";
import { writeJunitReport } from "../conformance/reporters/junit-reporter.js";
import { createRedactor } from "../conformance/reporters/redact.js";
import { planScenarios } from "../conformance/plan.js";
import { DEFAULT_SCENARIOS_DIR, runConformance } from "../conformance/run-conformance.js";
import { loadScenarios } from "../conformance/scenario.js";
import { loadTarget } from "../conformance/target.js";
import { UsageError, withUsage } from "./parse-options.js";

export const DEFAULT_TARGET_FILE = fileURLToPath(new URL("../../conformance/targets/fake-default.yaml", import.meta.url));

const HELP = `Usage: cv-contract-kit conform [options]

Runs the vendor page's documented scenarios (and our inferred ones, reported apart) against a deployment.

Options:
  --base-url <url>     Target (env CV_BASE_URL; default: the target file's baseUrl)
  --api-key <key>      cv-api-key (env CV_API_KEY; default: the target file's apiKey). Never printed.
  --target <file>      Accounts the scenarios use (default: conformance/targets/fake-default.yaml, for npm start)
  --scenarios <dir>    Scenario folder (default: the package's conformance/scenarios)
  --strict             Inferred checks gate too
  --read-only          Only scenarios that should change no profile
  --dry-run            List what would run, and why the rest would not; send nothing
  --only <ids,tags>    Run only these scenario ids or tags
  --skip <ids,tags>    Leave these out
  --junit <file>       Write a JUnit XML report
  --json <file>        Write a JSON report
  --timeout <ms>       Per request (default 10000)
  -h, --help           Show this help

Exit codes: 0 conforms, 1 a gating check failed, 2 the suite could not run.

Example (staging):
  CV_API_KEY=… cv-contract-kit conform --base-url https://api-staging.care360-next.carevalidate.com \\
    --target staging.yaml --junit reports/conformance.xml`;

export async function conformCommand(argv: readonly string[], write: (line: string) => void = console.log): Promise<number> {
  let flags;
  try {
    flags = withUsage(
      () =>
        parseArgs({
          args: [...argv],
          options: {
            "base-url": { type: "string" },
            "api-key": { type: "string" },
            target: { type: "string" },
            scenarios: { type: "string" },
            strict: { type: "boolean" },
            "read-only": { type: "boolean" },
            "dry-run": { type: "boolean" },
            only: { type: "string" },
            skip: { type: "string" },
            junit: { type: "string" },
            json: { type: "string" },
            timeout: { type: "string" },
            help: { type: "boolean", short: "h" },
          },
        }).values,
      HELP,
    );
  } catch (error) {
    console.error(`cv-contract-kit conform: ${(error as Error).message}`);
    return 2;
  }
  if (flags.help) {
    write(HELP);
    return 0;
  }

  try {
    const target = loadTarget(flags.target ?? DEFAULT_TARGET_FILE);
    const scenarios = loadScenarios(flags.scenarios ?? DEFAULT_SCENARIOS_DIR);
    const list = (value: string | undefined) => (value ? value.split(",").map((s) => s.trim()).filter(Boolean) : []);
    const selection = { readOnly: flags["read-only"] === true, only: list(flags.only), skip: list(flags.skip) };

    if (flags["dry-run"]) {
      const plan = planScenarios(scenarios, target, selection);
      write(`Would run ${plan.run.length} scenarios:`);
      for (const s of plan.run) write(`  ${s.id}${s.tier === "inferred" ? " [inferred]" : ""}: ${s.title}`);
      write(`Would skip ${plan.skipped.length}:`);
      for (const { scenario, reason } of plan.skipped) write(`  ${scenario.id}: ${reason}`);
      return 0;
    }

    const baseUrl = flags["base-url"] ?? (process.env.CV_BASE_URL || target.baseUrl);
    const apiKey = flags["api-key"] ?? (process.env.CV_API_KEY || target.apiKey);
    if (!baseUrl) throw new UsageError("No target: pass --base-url <url>, set CV_BASE_URL, or give baseUrl in the target file.");
    if (!/^https?:\/\//.test(baseUrl)) throw new UsageError(`--base-url must start with http:// or https:// (received "${baseUrl}").`);
    if (!apiKey) throw new UsageError("No API key: pass --api-key <key> or set CV_API_KEY.");
    const timeoutMs = flags.timeout === undefined ? 10_000 : Number(flags.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new UsageError(`--timeout must be a number of milliseconds (received "${flags.timeout}").`);

    const redact = createRedactor(apiKey);
    const summary = await runConformance({
      baseUrl,
      apiKey,
      target,
      scenarios,
      strict: flags.strict === true,
      timeoutMs,
      ...selection,
      onEvent: createConsoleReporter(write, redact),
    });
    if (flags.junit) writeJunitReport(flags.junit, summary, redact);
    if (flags.json) writeJsonReport(flags.json, summary, redact);
    return summary.exitCode;
  } catch (error) {
    // Bad configuration (target file, scenarios, flags): the suite could not run.
    console.error(`cv-contract-kit conform: ${(error as Error).message}`);
    return 2;
  }
}
