/**
 * @module cli/conform
 * `cv-contract-kit conform`: the conformance suite against any base URL.
 * Exit codes: 0 conforms; 1 a gating check failed; 2 the suite could not run or cannot conclude.
 * Every mistake of setup is one line on stderr saying what to fix, and still a JUnit/JSON report with an error.
 */
import { randomInt } from "node:crypto";
import { fileURLToPath } from "node:url";
import { loadContract } from "../contract/contract.js";
import { FUZZ_FAMILY_IDS, FUZZ_TAGS } from "../conformance/fuzz/families.js";
import { selectorProblems, planScenarios } from "../conformance/plan.js";
import { createRedactor, type Redact } from "../conformance/redact.js";
import { createConsoleReporter } from "../conformance/reporters/console-reporter.js";
import { activeReporters } from "../conformance/reporters/define-reporter.js";
import { CONFORMANCE_REPORTERS } from "../conformance/reporters/registry.js";
import { reporterOptions } from "./reporter-options.js";
import { summaryOfFailedStart, type ConformanceSummary } from "../conformance/results.js";
import { DEFAULT_SCENARIOS_DIR, DEFAULT_TIMEOUT_MS, problemsBeforeSending, runConformance } from "../conformance/run-conformance.js";
import { accountNamesOf, loadScenarios } from "../conformance/scenario.js";
import { loadTarget, otherOrganizationKey } from "../conformance/target.js";
import { credentialsProblem, withoutCredentials } from "../conformance/preflight.js";
import { safeLine } from "../conformance/reporters/visible.js";
import { SELECTION_OPTIONS, selectionFrom, timeoutFrom } from "./selection-options.js";
import { defineOptions, optionsHelp, parseCommandLine } from "./options-table.js";

export const DEFAULT_TARGET_FILE = fileURLToPath(new URL("../../conformance/targets/fake-default.yaml", import.meta.url));
export const MAX_FUZZ_RUNS = 1_000_000;

export const CONFORM_OPTIONS = defineOptions({
  "base-url": {
    type: "string",
    value: "<url>",
    help: "Target root; the suite adds /api/v1/users (env CV_BASE_URL; default: the target file's baseUrl)",
  },
  "api-key": { type: "string", value: "<key>", help: "cv-api-key (env CV_API_KEY; default: the target file's apiKey). Never printed." },
  target: { type: "string", value: "<file>", help: "Accounts the scenarios use (default: conformance/targets/fake-default.yaml, for npm start)" },
  ...SELECTION_OPTIONS,
  strict: { type: "boolean", help: "Inferred behaviour gates too (a status or an envelope the page does not document)" },
  "strict-wording": { type: "boolean", help: "Inferred wording gates too (implies --strict)" },
  verbose: {
    type: "boolean",
    help: "Also show where inferred wording differs, and each profile restored; the --json report\nkeeps every request and answer (without it, only those of failures and warnings)",
  },
  "dry-run": { type: "boolean", help: "List what would run, and why the rest would not; send nothing" },
  ...reporterOptions(CONFORMANCE_REPORTERS),
  fuzz: {
    type: "string",
    value: "<n>",
    help: "After the scenarios, n requests generated from openapi.yaml, judged by the vendor's rules;\na failure is shrunk to a minimal body (tag: fuzz; --only fuzz runs only these)",
  },
  seed: { type: "string", value: "<n>", help: "Replay a fuzz run exactly (the seed is printed at the start of every run)" },
  help: { type: "boolean", short: "h", help: "Show this help", hiddenInSynopsis: true },
});

const HELP = `Usage: cv-contract-kit conform [options]

Runs the vendor page's documented scenarios (and the kit's inferred ones, reported apart) against a deployment.
Every profile a scenario changes is put back; a field empty on the target is never written.

${optionsHelp(CONFORM_OPTIONS)}

Exit codes: 0 conforms, 1 a gating check failed, 2 the suite could not run or conclude.

Example (staging):
  CV_API_KEY=… cv-contract-kit conform --base-url https://api-staging.care360-next.carevalidate.com \\
    --target staging.yaml --junit reports/conformance.xml`;

export async function conformCommand(
  argv: readonly string[],
  out: (line: string) => void = console.log,
  err: (line: string) => void = console.error,
): Promise<number> {
  const parsed = parseCommandLine("conform", argv, CONFORM_OPTIONS, HELP, out, err);
  if ("exit" in parsed) return parsed.exit;
  const { flags } = parsed;

  const apiKey = flags["api-key"] ?? (process.env.CV_API_KEY || undefined);
  let redact: Redact = createRedactor([apiKey]);
  let baseUrl = flags["base-url"] ?? (process.env.CV_BASE_URL || undefined);
  const line = safeLine((text) => redact(text));
  // The reporters the flags ask for; `redact` grows once the target file's key is known, so they call the current one.
  const reporters = activeReporters(CONFORMANCE_REPORTERS, flags, { redact: (text) => redact(text), verbose: flags.verbose === true });
  /** A run that cannot start: one line per problem, and the reports still say so. */
  const cannotStart = (problems: readonly string[]): number => {
    for (const problem of problems) for (const part of problem.split("\n")) err(line(`cv-contract-kit conform: ${part}`));
    writeReports(summaryOfFailedStart(baseUrl === undefined ? "(none)" : withoutCredentials(baseUrl), problems));
    return 2;
  };
  /** A report CI cannot read is a run CI cannot judge: false when one could not be written. */
  const writeReports = (summary: ConformanceSummary): boolean => {
    try {
      for (const reporter of reporters) reporter.finish?.(summary);
      return true;
    } catch (error) {
      err(line(`cv-contract-kit conform: could not write a report: ${(error as Error).message}`));
      return false;
    }
  };

  let scenarios, target;
  try {
    const contract = loadContract();
    scenarios = loadScenarios(flags.scenarios ?? DEFAULT_SCENARIOS_DIR, contract);
    target = loadTarget(flags.target ?? DEFAULT_TARGET_FILE, accountNamesOf(scenarios));
  } catch (error) {
    return cannotStart([(error as Error).message]);
  }
  const selection = selectionFrom(flags);
  const problems = selectorProblems(scenarios, selection, flags.fuzz !== undefined ? [...FUZZ_FAMILY_IDS, ...FUZZ_TAGS] : []);
  if (problems.length > 0) return cannotStart(problems);

  const timeout = timeoutFrom(flags.timeout, DEFAULT_TIMEOUT_MS);
  if ("problem" in timeout) problems.push(timeout.problem);
  const timeoutMs = "ms" in timeout ? timeout.ms : DEFAULT_TIMEOUT_MS;
  const fuzzRuns = flags.fuzz === undefined ? 0 : Number(flags.fuzz);
  if (flags.fuzz !== undefined && (!/^\d+$/.test(flags.fuzz) || fuzzRuns < 1 || fuzzRuns > MAX_FUZZ_RUNS)) {
    problems.push(`--fuzz must be a whole number of requests from 1 to ${MAX_FUZZ_RUNS} (received "${flags.fuzz}").`);
  }
  const seed = flags.seed === undefined ? randomInt(2 ** 31) : Number(flags.seed);
  if (flags.seed !== undefined && (!/^\d+$/.test(flags.seed) || seed >= 2 ** 31))
    problems.push(`--seed must be a whole number from 0 to ${2 ** 31 - 1} (received "${flags.seed}").`);
  if (flags.seed !== undefined && flags.fuzz === undefined) problems.push("--seed replays generated requests: pass --fuzz <n> with it.");
  if (problems.length > 0) return cannotStart(problems);
  const fuzz = fuzzRuns > 0 ? { runs: fuzzRuns, seed } : undefined;

  baseUrl ??= target.baseUrl;
  const key = apiKey ?? target.apiKey;
  const credentials = baseUrl === undefined ? undefined : credentialsProblem(baseUrl);
  if (credentials) return cannotStart([credentials]);
  if (flags["dry-run"]) {
    const plan = planScenarios(scenarios, target, selection);
    out(`Would run ${plan.run.length} scenarios${fuzz ? ` and ${fuzz.runs} generated requests` : ""}:`);
    for (const s of plan.run) out(line(`  ${s.id}${s.tier === "inferred" ? " [inferred]" : ""}: ${s.title}`));
    out(`Would skip ${plan.skipped.length}:`);
    for (const { scenario, reason } of plan.skipped) out(line(`  ${scenario.id}: ${reason}`));
    // What would stop the real run before its first request, it says now.
    const otherKey = otherOrganizationKey(target);
    const blocking = problemsBeforeSending(scenarios, target, {
      ...selection,
      baseUrl: baseUrl ?? "http://127.0.0.1",
      ...(fuzz ? { fuzz } : {}),
      ...(otherKey ? { otherApiKey: otherKey } : {}),
    });
    for (const problem of blocking) err(line(`cv-contract-kit conform: the run would stop: ${problem}`));
    return blocking.length > 0 ? 2 : 0;
  }

  if (!baseUrl) return cannotStart(["No target: pass --base-url <url>, set CV_BASE_URL, or give baseUrl in the target file."]);
  if (!key) return cannotStart(["No API key: pass --api-key <key> or set CV_API_KEY."]);
  // The second organization's key comes from the variable the target file names (a committed file never holds a real key).
  const otherApiKey = otherOrganizationKey(target);
  redact = createRedactor([key, otherApiKey]);
  // fetch refuses such a header outright, which would read as "cannot be reached".
  if (!/^[\x21-\x7e]+$/.test(key))
    return cannotStart([
      "The API key holds characters an HTTP header cannot carry (a space, or a character outside ASCII): check --api-key or CV_API_KEY.",
    ]);
  if (otherApiKey !== undefined && !/^[\x21-\x7e]+$/.test(otherApiKey)) {
    return cannotStart([
      `The key in ${target.otherOrganization!.apiKeyEnv} holds characters an HTTP header cannot carry (a space, or a character outside ASCII).`,
    ]);
  }
  const early = problemsBeforeSending(scenarios, target, {
    ...selection,
    baseUrl,
    ...(fuzz ? { fuzz } : {}),
    ...(otherApiKey ? { otherApiKey } : {}),
  });
  if (early.length > 0) return cannotStart(early);

  const gating = { strict: flags.strict === true, strictWording: flags["strict-wording"] === true };
  // Ctrl-C finishes the scenario under way and restores its accounts; a second one stops at once.
  const interrupt = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupt.signal.aborted) {
      err(`cv-contract-kit conform: ${signal} again: stopping now. Accounts of the scenario under way may be left changed; run again to see.`);
      process.exit(130);
    }
    err(`cv-contract-kit conform: ${signal}: finishing the scenario under way and restoring its accounts (again to stop at once)…`);
    interrupt.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const consoleReporter = createConsoleReporter(out, redact, { ...gating, verbose: flags.verbose === true });
  const summary = await runConformance({
    baseUrl,
    apiKey: key,
    ...(otherApiKey ? { otherApiKey } : {}),
    target,
    scenarios,
    timeoutMs,
    ...gating,
    ...selection,
    ...(fuzz ? { fuzz } : {}),
    onEvent: (event) => {
      consoleReporter(event);
      for (const reporter of reporters) reporter.onEvent?.(event);
    },
    signal: interrupt.signal,
  }).finally(() => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  });
  if (summary.fatal) for (const part of summary.fatal.split("\n")) err(line(`cv-contract-kit conform: ${part}`));
  if (summary.preflight && !summary.preflight.ok && flags.target === undefined && baseUrl !== target.baseUrl) {
    err(
      "cv-contract-kit conform: no --target was given, so the accounts are the fake's (conformance/targets/fake-default.yaml). For a deployment, pass --target FILE naming its accounts (docs/conformance.md: The target file).",
    );
  }
  if (!writeReports(summary)) return 2;
  return summary.exitCode;
}
