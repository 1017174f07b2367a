/**
 * @module conformance/drift/run-drift
 * The same scenarios against two targets (typically the fake and a deployment), each with its own target file and
 * key, then where they answer differently. Each side is a full conformance run, so every safety rule holds on
 * both: preflight, snapshots and restores, --read-only, the key never printed.
 */
import { loadContract, type Contract } from "../../contract/contract.js";
import type { PlanOptions } from "../plan.js";
import type { ConformanceSummary } from "../results.js";
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

export async function runDrift(options: DriftOptions): Promise<DriftReport> {
  const contract = options.contract ?? loadContract();
  const scenarios = options.scenarios ?? loadScenarios(DEFAULT_SCENARIOS_DIR, contract);
  const startedAt = new Date();
  const run = async (side: DriftSide, label: string) => {
    options.onProgress?.(`${label} ${side.name} (${side.baseUrl}): running ${scenarios.length} scenarios…`);
    const summary = await runConformance({
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
    });
    const verdict = ["conforms", "does NOT conform", "could not run or conclude"][summary.exitCode];
    options.onProgress?.(`${label} ${side.name}: ${verdict} (exit ${summary.exitCode}).`);
    return summary;
  };
  const a = await run(options.a, "A");
  const b = await run(options.b, "B");
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
    ...(a.fatal ? [`A (${options.a.name}) could not run: ${a.fatal.split("\n").join("; ")}`] : []),
    ...(b.fatal ? [`B (${options.b.name}) could not run: ${b.fatal.split("\n").join("; ")}`] : []),
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
