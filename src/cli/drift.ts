/**
 * @module cli/drift
 * `cv-contract-kit drift`: the same scenarios against two targets, and where they answer differently.
 * A is the fake on its built-in fixtures, in this process (no port, nothing to start), unless an --a-* flag says
 * otherwise; B is the deployment.
 * Exit codes: 0 no documented behaviour differs; 1 one does; 2 drift could not run.
 */
import { basename, extname } from "node:path";
import { fileURLToPath } from "node:url";
import { loadContract, type Contract } from "../contract/contract.js";
import { createFake } from "../fake/create-fake.js";
import { answersProfileOf, profileBase, writeAnswersProfile } from "../conformance/drift/answers-profile.js";
import { runDrift, type DriftReport } from "../conformance/drift/run-drift.js";
import { selectorProblems } from "../conformance/plan.js";
import { createRedactor, type Redact } from "../conformance/redact.js";
import { printDriftReport } from "../conformance/reporters/drift-console-reporter.js";
import { activeReporters } from "../conformance/reporters/define-reporter.js";
import { DRIFT_REPORTERS } from "../conformance/reporters/registry.js";
import { reporterOptions } from "./reporter-options.js";
import { DEFAULT_SCENARIOS_DIR, DEFAULT_TIMEOUT_MS } from "../conformance/run-conformance.js";
import { accountNamesOf, loadScenarios } from "../conformance/scenario.js";
import { loadTarget } from "../conformance/target.js";
import { DEFAULT_TARGET_FILE } from "./conform.js";
import { SELECTION_OPTIONS, selectionFrom, timeoutFrom } from "./selection-options.js";
import { defineOptions, inSection, optionsHelp, parseCommandLine } from "./options-table.js";
import { safeLine } from "../conformance/reporters/visible.js";
import { credentialsProblem } from "../conformance/preflight.js";

const SIDE_A = "Side A (default: the fake on its built-in fixtures, run inside this command: no port, nothing to start first):";
const SIDE_B = "Side B (the deployment):";
const BOTH = "Both:";

export const DRIFT_OPTIONS = defineOptions({
  "a-target": { type: "string", value: "<file>", section: SIDE_A, help: "Target file of A (default: conformance/targets/fake-default.yaml)" },
  "a-base-url": { type: "string", value: "<url>", section: SIDE_A, help: "Default: A's target file's baseUrl" },
  "a-api-key": {
    type: "string",
    value: "<key>",
    section: SIDE_A,
    help: "Default: env CV_API_KEY_A, then A's target file's apiKey\nWith any of these three (or CV_API_KEY_A set), A is the target they name, over HTTP.",
  },
  "a-name": { type: "string", value: "<name>", section: SIDE_A, help: "How reports name A (default: fake, or the target file's name)" },
  "b-target": { type: "string", value: "<file>", section: SIDE_B, help: "Target file of B (required)" },
  "b-base-url": { type: "string", value: "<url>", section: SIDE_B, help: "Default: B's target file's baseUrl" },
  "b-api-key": { type: "string", value: "<key>", section: SIDE_B, help: "Default: env CV_API_KEY, then B's target file's apiKey. Never printed." },
  "b-name": { type: "string", value: "<name>", section: SIDE_B, help: "How reports name B (default: the target file's name)" },
  ...inSection(SELECTION_OPTIONS, BOTH),
  ...reporterOptions(DRIFT_REPORTERS, BOTH),
  "write-profile": {
    type: "string",
    value: "<file>",
    section: BOTH,
    help: "Write B's answers where the page is silent (status and wording of the key, JSON, schema,\nmethod, Content-Type and size failures) into this fixtures file's `answers` section (a\nnew file starts from the built-in fixtures); then `serve --fixtures <file>` answers like B",
  },
  verbose: { type: "boolean", section: BOTH, help: "Also list the scenarios that ran on one side only" },
  help: { type: "boolean", short: "h", section: BOTH, help: "Show this help", hiddenInSynopsis: true },
});

const HELP = `Usage: cv-contract-kit drift [options]

Runs the same scenarios against two targets and lists where they answer differently: status, envelope, message
(documented wording and inferred wording apart), the user's shape, and whether a profile changed. Every safety rule
of \`conform\` holds on both sides.

${optionsHelp(DRIFT_OPTIONS)}

Neither side sends a scenario before both have passed their preflight: a side that cannot run stops drift first.

Exit codes: 0 no documented behaviour differs, 1 documented behaviour differs, 2 drift could not run.`;

export async function driftCommand(
  argv: readonly string[],
  out: (line: string) => void = console.log,
  err: (line: string) => void = console.error,
): Promise<number> {
  const parsed = parseCommandLine("drift", argv, DRIFT_OPTIONS, HELP, out, err);
  if ("exit" in parsed) return parsed.exit;
  const { flags } = parsed;
  const keyA = flags["a-api-key"] ?? (process.env.CV_API_KEY_A || undefined);
  const keyB = flags["b-api-key"] ?? (process.env.CV_API_KEY || undefined);
  let redact = createRedactor([keyA, keyB]);
  const line = safeLine((text) => redact(text));
  const fail = (problem: string) => {
    for (const part of problem.split("\n")) err(line(`cv-contract-kit drift: ${part}`));
    return 2;
  };

  if (!flags["b-target"]) return fail("Pass --b-target <file>: the target file of the deployment to compare with.");
  let scenarios, targetA, targetB, contract;
  try {
    contract = loadContract();
    scenarios = loadScenarios(flags.scenarios ?? DEFAULT_SCENARIOS_DIR, contract);
    targetA = loadTarget(flags["a-target"] ?? DEFAULT_TARGET_FILE, accountNamesOf(scenarios));
    targetB = loadTarget(flags["b-target"], accountNamesOf(scenarios));
  } catch (error) {
    return fail((error as Error).message);
  }
  const selection = selectionFrom(flags);
  const problems = selectorProblems(scenarios, selection);
  if (problems.length > 0) return fail(problems.join("\n"));
  const timeout = timeoutFrom(flags.timeout, DEFAULT_TIMEOUT_MS);
  if ("problem" in timeout) return fail(timeout.problem);
  const timeoutMs = timeout.ms;
  const side = (
    label: "A" | "B",
    target: typeof targetA,
    baseUrl: string | undefined,
    key: string | undefined,
    name: string | undefined,
    fallbackName: string,
  ) => {
    const url = baseUrl ?? target.baseUrl;
    const apiKey = key ?? target.apiKey;
    if (!url) throw new Error(`No base URL for ${label}: pass --${label.toLowerCase()}-base-url <url> or give baseUrl in its target file.`);
    const credentials = credentialsProblem(url);
    if (credentials) throw new Error(`${label}: ${credentials.replace("--base-url", `--${label.toLowerCase()}-base-url`)}`);
    if (!apiKey) throw new Error(`No API key for ${label}: pass --${label.toLowerCase()}-api-key <key>${label === "B" ? " or set CV_API_KEY" : ""}.`);
    return { name: name ?? fallbackName, baseUrl: url, apiKey, target };
  };
  // No flag names A: the fake itself, in this process, on its built-in fixtures.
  const inProcessA = !flags["a-target"] && !flags["a-base-url"] && keyA === undefined;
  let a, b;
  try {
    a = inProcessA
      ? side("A", targetA, IN_PROCESS_BASE_URL, undefined, flags["a-name"], "fake")
      : side(
          "A",
          targetA,
          flags["a-base-url"],
          keyA,
          flags["a-name"],
          flags["a-target"] ? basename(flags["a-target"], extname(flags["a-target"])) : "fake",
        );
    b = side("B", targetB, flags["b-base-url"], keyB, flags["b-name"], basename(flags["b-target"], extname(flags["b-target"])));
  } catch (error) {
    return fail((error as Error).message);
  }
  redact = createRedactor([a.apiKey, b.apiKey]);
  if (flags["write-profile"]) {
    // Known now, not after two whole runs: a profile file that cannot take the answers.
    try {
      profileBase(contract, flags["write-profile"], BUILT_IN_FIXTURES);
    } catch (error) {
      return fail(`--write-profile: ${(error as Error).message}.`);
    }
  }

  out(
    line(`cv-contract-kit drift: A ${a.name} (${inProcessA ? "in this process, on the built-in fixtures" : a.baseUrl}) ↔ B ${b.name} (${b.baseUrl})`),
  );
  const fakeA = inProcessA ? createFake() : undefined;
  let report: DriftReport;
  try {
    report = await runDrift({
      a: fakeA ? { ...a, fetch: fakeA.fetch } : a,
      b,
      scenarios,
      timeoutMs,
      contract,
      ...selection,
      onProgress: (progress) => out(line(`  ${progress}`)),
    });
  } finally {
    await fakeA?.close();
  }
  printDriftReport(report, out, redact, { verbose: flags.verbose === true });
  try {
    for (const reporter of activeReporters(DRIFT_REPORTERS, flags, { redact: (text) => redact(text), verbose: flags.verbose === true }))
      reporter.finish?.(report);
  } catch (error) {
    err(line(`cv-contract-kit drift: could not write a report: ${(error as Error).message}`));
  }
  if (flags["write-profile"]) {
    const written = writeProfile(contract, flags["write-profile"], report, b.name, redact, out);
    if (!written)
      return fail(
        `the profile was not written to ${flags["write-profile"]}: ${report.b.summary.fatal ? `B (${b.name}) could not run` : "see above"}.`,
      );
  }
  return report.exitCode;
}

/** Where the in-process fake is "reached": its fetch answers any origin, and reports need a URL to name it by. */
const IN_PROCESS_BASE_URL = "http://in-process.fake";

/** The built-in fixtures: a new profile file starts from them, as `serve` does without --fixtures. */
const BUILT_IN_FIXTURES = fileURLToPath(new URL("../../fixtures/default.json", import.meta.url));

/** `--write-profile`: B's answers where the page is silent, into a fixtures file. False when nothing was written. */
function writeProfile(contract: Contract, file: string, report: DriftReport, nameB: string, redact: Redact, out: (line: string) => void): boolean {
  // A side that could not run has not answered: its silence must not empty the answers a file already holds.
  if (report.a.summary.fatal || report.b.summary.fatal) return false;
  const profile = answersProfileOf(contract, report.comparison, redact);
  let kept: string[], dropped: string[];
  try {
    ({ kept, dropped } = writeAnswersProfile(contract, file, profile, BUILT_IN_FIXTURES, undefined, redact));
  } catch (error) {
    out(safeLine(redact)(`Profile: ${(error as Error).message}`));
    return false;
  }
  const names = Object.entries(profile.answers);
  const safe = safeLine(redact);
  const line = (text: string) => out(safe(text));
  out("");
  line(`Profile of ${nameB} written to ${file}: ${names.length} answer${names.length === 1 ? "" : "s"} where the page is silent.`);
  for (const [name, answer] of names) line(`  ${name}: ${answer.status} ${JSON.stringify(answer.message)}`);
  for (const { name, reason } of profile.leftOut) line(`  left out ${name}: ${reason}`);
  if (kept.length > 0) line(`  kept from the file (not seen in this run): ${kept.join(", ")}`);
  if (dropped.length > 0) line(`  removed from the file (B no longer answers them in a way the fake can copy): ${dropped.join(", ")}`);
  out(`Start the fake with it: cv-contract-kit serve --fixtures ${file}`);
  return true;
}
