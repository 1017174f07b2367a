/**
 * @module conformance/results
 * The result model every reporter reads, and the exit code it implies.
 */
import type { Tier } from "../contract/load-spec.js";
import type { CheckResult } from "./checks/check-result.js";
import type { Exchange } from "./exchange.js";
import type { Scenario } from "./scenario.js";

/**
 * passed; failed (a gating check failed: the target breaks the contract); warned (only inferred checks failed,
 * and the run is not --strict); skipped (with a reason); error (the harness could not run it: unreachable,
 * an account of the target file does not answer).
 */
export type ScenarioStatus = "passed" | "failed" | "warned" | "skipped" | "error";

export interface StepResult {
  kind: "snapshot" | "send" | "read" | "restore";
  exchange: Exchange;
  curl: string;
  checks: CheckResult[];
}

export interface ScenarioResult {
  id: string;
  title: string;
  tier: Tier;
  source: string;
  tags: string[];
  file: string;
  status: ScenarioStatus;
  reason?: string;
  steps: StepResult[];
  /** Set when the scenario had to write a profile back; ok false is reported loudly. */
  restore?: { ok: boolean; message: string };
  durationMs: number;
}

export interface ConformanceSummary {
  baseUrl: string;
  startedAt: string;
  durationMs: number;
  strict: boolean;
  readOnly: boolean;
  counts: Record<ScenarioStatus, number>;
  restoreFailures: number;
  results: ScenarioResult[];
  /** Set when the run could not start at all (exit code 2). */
  fatal?: string;
  exitCode: 0 | 1 | 2;
}

export type ConformanceEvent =
  | { type: "runStarted"; baseUrl: string; scenarios: readonly Scenario[] }
  | { type: "scenarioFinished"; result: ScenarioResult }
  | { type: "runFinished"; summary: ConformanceSummary };

/** 0: every gating check passed; 1: the target breaks the contract; 2: the suite could not run. */
export function exitCodeFor(counts: Record<ScenarioStatus, number>, restoreFailures: number, fatal?: string): 0 | 1 | 2 {
  if (fatal) return 2;
  if (counts.failed > 0) return 1;
  if (counts.error > 0 || restoreFailures > 0) return 2;
  return 0;
}

export function countStatuses(results: readonly ScenarioResult[]): Record<ScenarioStatus, number> {
  const counts: Record<ScenarioStatus, number> = { passed: 0, failed: 0, warned: 0, skipped: 0, error: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}
