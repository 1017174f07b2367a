/**
 * @module conformance/run-conformance
 * Runs the scenarios against any base URL. It knows the target only through HTTP (a base URL and a `fetch`) and
 * openapi.yaml, so it judges the fake exactly as it judges a real deployment. Before any scenario it checks what
 * it can without sending anything (selection, target file, base URL), then a preflight that changes nothing;
 * reporters subscribe to the events it emits.
 */
import { fileURLToPath } from "node:url";
import { loadContract, type Contract } from "../contract/contract.js";
import type { GatingOptions } from "./gating.js";
import { FUZZ_FAMILY_IDS, FUZZ_TAGS } from "./fuzz/families.js";
import { runFuzz } from "./fuzz/run-fuzz.js";
import { matchesSelector, planScenarios, selectorProblems, unallowedSkips, type PlanOptions } from "./plan.js";
import { runKey, type Access } from "./access.js";
import { isDestructive } from "./checks/registry.js";
import { baseUrlProblem, preflightAccounts, preflightEndpoint } from "./preflight.js";
import { countStatuses, exitCodeFor, type ConformanceEvent, type ConformanceSummary, type PreflightSummary, type ScenarioResult } from "./results.js";
import { describeScenario, runScenario } from "./run-scenario.js";
import { loadScenarios, type Scenario } from "./scenario.js";
import type { Target } from "./target.js";
import { createTransport } from "./transport.js";

/** conformance/scenarios in the package. */
export const DEFAULT_SCENARIOS_DIR = fileURLToPath(new URL("../../conformance/scenarios", import.meta.url));
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Scenarios in a row the harness could not finish before the run stops. */
export const MAX_UNFINISHED_IN_A_ROW = 3;
/** Scenarios with this tag run first, before any account but the ones they name is read (see runConformance). */
export const CANARY_TAG = "canary";

export interface ConformanceOptions extends PlanOptions, GatingOptions {
  baseUrl: string;
  /** The target's cv-api-key. Never printed or written to a report. */
  apiKey: string;
  /** The key of the target file's otherOrganization (the CLI reads it from the variable the file names). Never printed. */
  otherApiKey?: string;
  target: Target;
  /** Default: every scenario in conformance/scenarios. */
  scenarios?: readonly Scenario[];
  /** Per request, body included (default 10 s). */
  timeoutMs?: number;
  /** Any WHATWG fetch (an in-process fake's, a proxy's); the global one by default. */
  fetch?: typeof fetch;
  /** After a request times out, how long to wait for its write to land before restoring (default: twice the timeout, 1–60 s). */
  settleMs?: number;
  /** The longest the suite waits, in all, for one request to stop being rate-limited (default 5 s). */
  maxRetryWaitMs?: number;
  onEvent?: (event: ConformanceEvent) => void;
  contract?: Contract;
  /** Generated requests after the scenarios: how many in all, and the seed that replays them. */
  fuzz?: { runs: number; seed: number };
  /** Aborts the run (Ctrl-C): the scenario under way stops sending, its accounts are restored, nothing else runs. */
  signal?: AbortSignal;
  /**
   * Called once, after the checks and the preflight and before the first scenario, with why the run cannot go on
   * (undefined: it can). A reason returned stops the run there (drift: the other side could not run).
   */
  beforeScenarios?: (problem: string | undefined) => Promise<string | undefined>;
}

export async function runConformance(given: ConformanceOptions): Promise<ConformanceSummary> {
  // The target file's own key for the second organization (a fake's public test key) when none is given.
  const otherApiKey = given.otherApiKey ?? given.target.otherOrganization?.apiKey;
  const options = { ...given, ...(otherApiKey ? { otherApiKey } : {}) };
  const contract = options.contract ?? loadContract();
  const scenarios = options.scenarios ?? loadScenarios(DEFAULT_SCENARIOS_DIR, contract);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const transport = createTransport({
    baseUrl: options.baseUrl,
    timeoutMs,
    secrets: [options.apiKey, options.otherApiKey].filter((k): k is string => k !== undefined),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.maxRetryWaitMs !== undefined ? { maxRetryWaitMs: options.maxRetryWaitMs } : {}),
  });
  const other = options.target.otherOrganization;
  const access: Access = {
    transport,
    key: runKey(options.apiKey),
    ...(other && options.otherApiKey ? { otherKey: { value: options.otherApiKey, reference: `$${other.apiKeyEnv}` } } : {}),
    readMethod: "update",
    target: options.target,
    observedLagMs: 0,
  };
  const emit = options.onEvent ?? (() => {});
  const startedAt = new Date();
  const plan = planScenarios(scenarios, options.target, options);
  emit({ type: "runStarted", baseUrl: options.baseUrl, scenarios: plan.run, ...(options.fuzz ? { fuzz: options.fuzz } : {}) });

  const results: ScenarioResult[] = plan.skipped.map(({ scenario, reason, kind }) => ({
    ...describeScenario(scenario),
    status: "skipped",
    reason,
    skipKind: kind,
    steps: [],
    durationMs: 0,
  }));
  for (const r of results) emit({ type: "scenarioFinished", result: r });

  // What can be known without sending anything: a mistake here must not cost a single request.
  let fatal = problemsBeforeSending(scenarios, options.target, options).join("\n") || undefined;
  let checked: PreflightSummary | undefined;
  /** Set once the target destroyed what it was not asked to change: nothing more is written (a read may be a write). */
  let stoppedWriting: string | undefined;
  const settleMs = options.settleMs ?? Math.min(Math.max(2 * timeoutMs, 1000), 60_000);
  const context = {
    contract,
    access,
    settleMs,
    strict: options.strict,
    strictWording: options.strictWording,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  // The canaries (a read, a partial update of updatableUser) run before any other scenario: on a target that
  // clears what an update does not send, they are the only damage, and it is put back.
  // The one that writes first: its acknowledged write shows how far the target's reads lag, which the read canary needs.
  const canaries = plan.run.filter((s) => s.tags.includes(CANARY_TAG)).sort((a, b) => Number(b.changesProfile) - Number(a.changesProfile));
  const rest = plan.run.filter((s) => !s.tags.includes(CANARY_TAG));
  let unfinishedInARow = 0;

  /** Runs one scenario; returns why the run must stop, if it must. */
  const runOne = async (scenario: Scenario, left: number): Promise<string | undefined> => {
    const unshown = scenario.onlyAfter.filter((id) => !results.some((r) => r.id === id && (r.status === "passed" || r.status === "warned")));
    if (unshown.length > 0) {
      const skipped: ScenarioResult = {
        ...describeScenario(scenario),
        status: "skipped",
        skipKind: "unsafe",
        reason: `not sent: it is safe only on a target that passed ${unshown.join(", ")} in this run, which this one did not`,
        steps: [],
        durationMs: 0,
      };
      results.push(skipped);
      emit({ type: "scenarioFinished", result: skipped });
      return undefined;
    }
    const result = await runScenario(context, scenario);
    results.push(result);
    emit({ type: "scenarioFinished", result });
    unfinishedInARow = result.status === "error" ? unfinishedInARow + 1 : 0;
    const canary = scenario.tags.includes(CANARY_TAG);
    // A canary's read that changed the profile is as destructive as a partial update that cleared other fields.
    const destructive = result.steps
      .flatMap((st) => st.checks)
      .find((c) => isDestructive(c) || (canary && !c.ok && c.tier === "documented" && c.check === "nothing_changed"));
    if (destructive) {
      stoppedWriting = `${scenario.id} found that the target changes what it was not asked to change (${destructive.check}): every further request could change more, so the run sent nothing else`;
    }
    // A target that no longer answers, or answers nothing a scenario can finish with, is not worth a timeout a
    // request; a profile left changed must not be joined by others.
    const stopped = transport.stopped()
      ? `The target stopped answering: ${transport.stopped()}`
      : result.restore && !result.restore.ok
        ? `A profile could not be restored (${result.id}): the run stopped so as not to change more. Put it back with the command above, then run again`
        : options.signal?.aborted
          ? "Interrupted: the scenario under way was finished and its accounts restored"
          : unfinishedInARow >= MAX_UNFINISHED_IN_A_ROW
            ? `${unfinishedInARow} scenarios in a row could not be finished (the last: ${result.reason})`
            : undefined;
    return stopped ? `${stopped}. The run stopped${left > 0 ? `; ${left} scenario(s) not run` : ""}.` : undefined;
  };
  const skipRest = (left: readonly Scenario[]) => {
    for (const scenario of left) {
      const skipped: ScenarioResult = {
        ...describeScenario(scenario),
        status: "skipped",
        skipKind: "stopped",
        reason: stoppedWriting!,
        steps: [],
        durationMs: 0,
      };
      results.push(skipped);
      emit({ type: "scenarioFinished", result: skipped });
    }
  };

  if (!fatal) {
    // Nothing is written before the preflight has found every setup mistake: then the canaries, then the rest.
    const endpoint = await preflightEndpoint(contract, access);
    access.readMethod = endpoint.readMethod;
    checked = { ok: endpoint.ok, problems: endpoint.problems, notes: endpoint.notes };
    if (endpoint.ok) {
      const accounts = await preflightAccounts(contract, access, endpoint.notes.includes("the key is accepted"));
      checked = { ok: accounts.ok, problems: accounts.problems, notes: [...endpoint.notes, ...accounts.notes] };
    }
    emit({ type: "preflightFinished", preflight: checked });
    if (!checked.ok) fatal = checked.problems.join("\n");
  }
  if (options.beforeScenarios) {
    const stop = await options.beforeScenarios(fatal);
    if (!fatal && stop) fatal = stop;
  }
  for (const [index, scenario] of canaries.entries()) {
    if (fatal || stoppedWriting) break;
    fatal = await runOne(scenario, canaries.length - index - 1 + rest.length);
  }
  for (const [index, scenario] of rest.entries()) {
    if (fatal) break;
    if (stoppedWriting) {
      skipRest(rest.slice(index));
      break;
    }
    fatal = await runOne(scenario, rest.length - index - 1);
  }
  if (stoppedWriting && canaries.some((c) => !results.some((r) => r.id === c.id)))
    skipRest(canaries.filter((c) => !results.some((r) => r.id === c.id)));

  if (!fatal && options.signal?.aborted) fatal = "Interrupted before the first scenario.";
  if (!fatal && !stoppedWriting && options.fuzz && options.fuzz.runs > 0) {
    emit({ type: "fuzzStarted", runs: options.fuzz.runs, seed: options.fuzz.seed });
    const select = (family: { id: string; tags: string[] }) =>
      (!options.only?.length || matchesSelector(family, options.only)) && !(options.skip?.length && matchesSelector(family, options.skip));
    await runFuzz(
      { contract, access, strict: options.strict, strictWording: options.strictWording, ...(options.signal ? { signal: options.signal } : {}) },
      { ...options.fuzz, readOnly: options.readOnly === true, select },
      (result) => {
        results.push(result);
        emit({ type: "scenarioFinished", result });
      },
    );
    const stopped = transport.stopped();
    const lost = results.find((r) => r.fuzz && r.restore && !r.restore.ok);
    if (stopped) fatal = `The target stopped answering: ${stopped}. The run stopped.`;
    else if (lost)
      fatal = `A profile could not be restored (${lost.id}): the run stopped so as not to change more. Put it back with the command above, then run again.`;
    else if (options.signal?.aborted) fatal = "Interrupted: the generated requests stopped and their account was restored.";
  }

  const counts = countStatuses(results);
  const restoreFailures = results.filter((r) => r.restore && !r.restore.ok).length;
  const incomplete = fatal
    ? []
    : unallowedSkips(results, options.allowSkip).map(
        (r) => `documented scenario ${r.id} was skipped (${r.reason}): fix the target file, or pass --allow-skip ${r.id}`,
      );
  const summary: ConformanceSummary = {
    baseUrl: options.baseUrl,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    strict: options.strict === true || options.strictWording === true,
    strictWording: options.strictWording === true,
    readOnly: options.readOnly === true,
    readMethod: access.readMethod,
    ...(checked ? { preflight: checked } : {}),
    counts,
    restoreFailures,
    results,
    ...(fatal ? { fatal } : {}),
    ...(stoppedWriting ? { stoppedWriting } : {}),
    ...(incomplete.length > 0 ? { incomplete } : {}),
    exitCode: exitCodeFor({ counts, restoreFailures, fatal, incomplete }),
  };
  emit({ type: "runFinished", summary });
  return summary;
}

/**
 * What can be known without sending anything: a selector that names nothing, a base URL with a path, no scenario
 * left to run, a documented scenario the target file cannot run. Any of these stops the run before its first request.
 */
export function problemsBeforeSending(
  scenarios: readonly Scenario[],
  target: Target,
  options: PlanOptions & { baseUrl: string; fuzz?: { runs: number }; otherApiKey?: string },
): string[] {
  const fuzzing = (options.fuzz?.runs ?? 0) > 0;
  const problems = selectorProblems(scenarios, options, fuzzing ? [...FUZZ_FAMILY_IDS, ...FUZZ_TAGS] : []);
  const urlProblem = baseUrlProblem(options.baseUrl);
  if (urlProblem) problems.push(urlProblem);
  if (target.otherOrganization && !options.otherApiKey) {
    problems.push(
      `The target file names otherOrganization, but no key for it: set ${target.otherOrganization.apiKeyEnv} to that organization's cv-api-key (or remove otherOrganization).`,
    );
  }
  if (problems.length > 0) return problems;
  const plan = planScenarios(scenarios, target, options);
  const fuzzSelected = fuzzing && FUZZ_FAMILY_IDS.some((id) => !options.only?.length || matchesSelector({ id, tags: [...FUZZ_TAGS] }, options.only));
  if (plan.run.length === 0 && !fuzzSelected) {
    return [
      `No scenario left to run (${plan.skipped.length} skipped: ${[...new Set(plan.skipped.map((s) => s.reason))].join("; ")}). A run that tests nothing cannot pass.`,
    ];
  }
  const skipped = plan.skipped.map(({ scenario, reason, kind }) => ({ ...scenario, reason, skipKind: kind }));
  return unallowedSkips(skipped, options.allowSkip).map(
    (r) => `Documented scenario ${r.id} cannot run: ${r.reason}. Add it to the target file, or pass --allow-skip ${r.id} to accept a run without it.`,
  );
}
