/**
 * @module conformance/drift/run-drift
 * The same scenarios against two targets (typically the fake and a deployment), each with its own target file and
 * key, then where they answer differently. Each side is a full conformance run, so every safety rule holds on
 * both: preflight, snapshots and restores, --read-only, the key never printed.
 */
import { loadContract, type Contract } from "../../contract/contract.js";
import type { PlanOptions } from "../plan.js";
import { countStatuses, exitCodeFor, type ConformanceSummary } from "../results.js";
import { DEFAULT_SCENARIOS_DIR, runConformance } from "../run-conformance.js";
import { loadScenarios, type Scenario } from "../scenario.js";
import type { Target } from "../target.js";
import { compareRuns, type DriftComparison } from "./compare-runs.js";

export interface DriftSide {
  /** How the reports name it: "fake", "staging", … */
  name: string;
  baseUrl: string;
  apiKey: string;
  target: Target;
  fetch?: typeof fetch;
}

export interface DriftOptions extends PlanOptions {
  a: DriftSide;
  b: DriftSide;
  scenarios?: readonly Scenario[];
  timeoutMs?: number;
  contract?: Contract;
  /** Called when a side starts and ends. */
  onProgress?: (line: string) => void;
}

export interface DriftCounts {
  /** Differences of documented behaviour or wording: they make the exit code 1. */
  documented: number;
  inferredBehaviour: number;
  inferredWording: number;
  /** Differences the contract allows (extra fields): listed, never counted against anyone. */
  allowed: number;
  /** Scenarios that ran on both sides and answered alike. */
  same: number;
}

export interface DriftReport {
  a: { name: string; baseUrl: string; summary: ConformanceSummary };
  b: { name: string; baseUrl: string; summary: ConformanceSummary };
  startedAt: string;
  durationMs: number;
  comparison: DriftComparison;
  counts: DriftCounts;
  /** Why the comparison cannot be trusted: a side that could not run, a profile left changed. */
  fatal?: string;
  /** 0: no documented behaviour differs; 1: one does; 2: drift could not run. */
  exitCode: 0 | 1 | 2;
}

/** How long a side's run waits at its gate; a reason given stops it there. */
interface Gate {
  /** Settles with the side's own problem (undefined: its checks and preflight passed) once it reaches the gate. */
  reached: Promise<string | undefined>;
  /** Lets the side send its scenarios (undefined), or stops it (a reason). */
  open: (stop: string | undefined) => void;
  wait: (problem: string | undefined) => Promise<string | undefined>;
}

function gate(): Gate {
  let reach!: (problem: string | undefined) => void;
  let open!: (stop: string | undefined) => void;
  const reached = new Promise<string | undefined>((resolve) => (reach = resolve));
  const opened = new Promise<string | undefined>((resolve) => (open = resolve));
  return { reached, open, wait: (problem) => (reach(problem), problem ? Promise.resolve(undefined) : opened) };
}

/** The summary of a side that sent nothing because the other could not run. */
function notRun(side: DriftSide, reason: string, readOnly: boolean): ConformanceSummary {
  const fatal = `Not run: ${reason}.`;
  const counts = countStatuses([]);
  return {
    baseUrl: side.baseUrl,
    startedAt: new Date().toISOString(),
    durationMs: 0,
    strict: false,
    strictWording: false,
    readOnly,
    counts,
    restoreFailures: 0,
    results: [],
    fatal,
    exitCode: exitCodeFor({ counts, restoreFailures: 0, fatal }),
  };
}

/**
 * Neither side sends a scenario before both have passed their checks and preflight (which change nothing): A is
 * checked first, and B, if A cannot run, sends nothing at all; B is checked next, and if it cannot run A sends no
 * scenario. Then A's scenarios, then B's (B's not at all if A's run had to stop).
 */
export async function runDrift(options: DriftOptions): Promise<DriftReport> {
  const contract = options.contract ?? loadContract();
  const scenarios = options.scenarios ?? loadScenarios(DEFAULT_SCENARIOS_DIR, contract);
  const startedAt = new Date();
  const run = (side: DriftSide, label: string, at: Gate) => {
    options.onProgress?.(`${label} ${side.name} (${side.baseUrl}): checking it can run (target file, preflight)…`);
    return runConformance({
      baseUrl: side.baseUrl,
      apiKey: side.apiKey,
      target: side.target,
      scenarios,
      contract,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(side.fetch ? { fetch: side.fetch } : {}),
      ...(options.readOnly !== undefined ? { readOnly: options.readOnly } : {}),
      ...(options.only ? { only: options.only } : {}),
      ...(options.skip ? { skip: options.skip } : {}),
      ...(options.allowSkip ? { allowSkip: options.allowSkip } : {}),
      beforeScenarios: async (problem) => {
        const stop = await at.wait(problem);
        if (!problem && !stop) options.onProgress?.(`${label} ${side.name}: running ${scenarios.length} scenarios…`);
        return stop;
      },
    }).then((summary) => {
      const verdict = ["conforms", "does NOT conform", "could not run or conclude"][summary.exitCode];
      options.onProgress?.(`${label} ${side.name}: ${verdict} (exit ${summary.exitCode}).`);
      return summary;
    });
  };
  const gateA = gate();
  const gateB = gate();
  const runningA = run(options.a, "A", gateA);
  const problemA = await gateA.reached;
  let a: ConformanceSummary;
  let b: ConformanceSummary;
  /** The side whose own problem stopped the other before it sent anything: only its problem is the drift's. */
  let stoppedBy: "A" | "B" | undefined;
  if (problemA) {
    stoppedBy = "A";
    a = await runningA;
    b = notRun(options.b, `A (${options.a.name}) could not run, so B sent nothing`, options.readOnly === true);
    options.onProgress?.(`B ${options.b.name}: not run, since A could not.`);
  } else {
    const runningB = run(options.b, "B", gateB);
    const problemB = await gateB.reached;
    if (problemB) {
      stoppedBy = "B";
      gateA.open(`B (${options.b.name}) could not run, so A sent no scenario`);
      a = await runningA;
      b = await runningB;
    } else {
      gateA.open(undefined);
      a = await runningA;
      gateB.open(a.fatal ? `A (${options.a.name}) could not finish, so B sent no scenario` : undefined);
      b = await runningB;
    }
  }
  const comparison = compareRuns(contract, scenarios, a, b);

  const counted = comparison.differences.filter((d) => d.kind !== "allowed");
  const counts: DriftCounts = {
    documented: counted.filter((d) => d.tier === "documented").length,
    inferredBehaviour: counted.filter((d) => d.tier === "inferred" && d.kind === "behaviour").length,
    inferredWording: counted.filter((d) => d.tier === "inferred" && d.kind === "wording").length,
    allowed: comparison.differences.length - counted.length,
    same: comparison.scenarios.filter((s) => !s.onlyOneSide && s.differences.every((d) => d.kind === "allowed")).length,
  };
  const problems = [
    ...(a.fatal && stoppedBy !== "B" ? [`A (${options.a.name}) could not run: ${a.fatal.split("\n").join("; ")}`] : []),
    ...(b.fatal && stoppedBy !== "A" && !(a.fatal && !stoppedBy) ? [`B (${options.b.name}) could not run: ${b.fatal.split("\n").join("; ")}`] : []),
    ...(a.restoreFailures ? [`A (${options.a.name}) left a profile changed: see its RESTORE FAILED in the JSON report`] : []),
    ...(b.restoreFailures ? [`B (${options.b.name}) left a profile changed: see its RESTORE FAILED in the JSON report`] : []),
  ];
  const fatal = problems.join("\n") || undefined;
  return {
    a: { name: options.a.name, baseUrl: options.a.baseUrl, summary: a },
    b: { name: options.b.name, baseUrl: options.b.baseUrl, summary: b },
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    comparison,
    counts,
    ...(fatal ? { fatal } : {}),
    exitCode: fatal ? 2 : counts.documented > 0 ? 1 : 0,
  };
}
