/**
 * @module conformance/results
 * The result model every reporter reads, and the exit code it implies.
 */
import type { Tier } from "../contract/load-spec.js";
import type { CheckResult } from "./checks/check-result.js";
import type { Exchange } from "./exchange.js";
import type { SkipKind } from "./plan.js";
import type { AccountRestore } from "./restore-account.js";
import type { LeftOut } from "./write-plan.js";
import type { Scenario } from "./scenario.js";

/**
 * passed (at most notes on inferred wording); failed (a gating check failed: the target breaks the contract);
 * warned (inferred behaviour differs, and the run is not --strict); skipped (with a reason); error (the harness
 * could not finish it: no answer, an account that cannot be read).
 */
export type ScenarioStatus = "passed" | "failed" | "warned" | "skipped" | "error";

export interface StepResult {
  kind: "snapshot" | "send" | "read" | "restore";
  /** For send and read: the step's place in the scenario file (a request the plan dropped leaves a gap). */
  index?: number;
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
  hint?: string;
  status: ScenarioStatus;
  reason?: string;
  /** For skipped: the user's choice (deselected) or the target's lack (unavailable). */
  skipKind?: SkipKind;
  steps: StepResult[];
  /** Fields not sent because they are empty on the target and could not be cleared again. */
  leftOut?: LeftOut[];
  /** For a family of generated requests: how many were sent, the seed that replays them, the shrunk example's path. */
  fuzz?: { runs: number; seed: number; path?: string };
  /** Set when an account the scenario touched had to be written back; ok false is reported loudly. */
  restore?: { ok: boolean; accounts: Omit<AccountRestore, "exchanges">[] };
  durationMs: number;
}

export interface PreflightSummary {
  ok: boolean;
  problems: string[];
  notes: string[];
}

export interface ConformanceSummary {
  baseUrl: string;
  startedAt: string;
  durationMs: number;
  strict: boolean;
  strictWording: boolean;
  readOnly: boolean;
  /** How profiles were read: through the vendor's search endpoint (writes nothing), or with email-only updates. */
  readMethod?: "search" | "update";
  preflight?: PreflightSummary;
  counts: Record<ScenarioStatus, number>;
  restoreFailures: number;
  results: ScenarioResult[];
  /** Why the run could not start or had to stop (exit code 2); one line per problem. */
  fatal?: string;
  /** Why the run stopped writing after a finding (the target destroys what it was not asked to change): exit 1, not 2. */
  stoppedWriting?: string;
  /** Why the run cannot say "conforms" although nothing failed (exit code 2). */
  incomplete?: string[];
  exitCode: 0 | 1 | 2;
}

export type ConformanceEvent =
  | { type: "runStarted"; baseUrl: string; scenarios: readonly Scenario[]; fuzz?: { runs: number; seed: number } }
  | { type: "preflightFinished"; preflight: PreflightSummary }
  | { type: "fuzzStarted"; runs: number; seed: number }
  | { type: "scenarioFinished"; result: ScenarioResult }
  | { type: "runFinished"; summary: ConformanceSummary };

/**
 * 0: every gating check passed, and nothing was left changed.
 * 1: the target breaks the contract (a gating check failed).
 * 2: the suite could not run or cannot conclude: bad configuration, a failed preflight, a target that stopped
 *    answering, a profile it could not restore (even when a scenario also failed), a scenario it could not finish,
 *    no scenario run, a documented scenario skipped for lack of an account.
 */
export function exitCodeFor(summary: Pick<ConformanceSummary, "counts" | "restoreFailures" | "fatal" | "incomplete">): 0 | 1 | 2 {
  if (summary.fatal || summary.restoreFailures > 0) return 2;
  if (summary.counts.failed > 0) return 1;
  if (summary.counts.error > 0 || (summary.incomplete?.length ?? 0) > 0) return 2;
  return 0;
}

export function countStatuses(results: readonly ScenarioResult[]): Record<ScenarioStatus, number> {
  const counts: Record<ScenarioStatus, number> = { passed: 0, failed: 0, warned: 0, skipped: 0, error: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}

/** The summary of a run that could not start (bad flags, target file or scenarios): still reported, never green. */
export function summaryOfFailedStart(baseUrl: string, problems: readonly string[]): ConformanceSummary {
  const counts = countStatuses([]);
  const fatal = problems.join("\n");
  return {
    baseUrl,
    startedAt: new Date().toISOString(),
    durationMs: 0,
    strict: false,
    strictWording: false,
    readOnly: false,
    counts,
    restoreFailures: 0,
    results: [],
    fatal,
    exitCode: exitCodeFor({ counts, restoreFailures: 0, fatal }),
  };
}
