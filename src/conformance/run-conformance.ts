/**
 * @module conformance/run-conformance
 * Runs the scenarios against any base URL. It knows the target only through HTTP and openapi.yaml, so it judges
 * the fake exactly as it judges a real deployment. Reporters subscribe to the events it emits.
 */
import { fileURLToPath } from "node:url";
import { loadContract, type Contract } from "../contract/contract.js";
import type { Tier } from "../contract/load-spec.js";
import type { CheckResult } from "./checks/check-result.js";
import { expectationChecks } from "./checks/expectation-checks.js";
import { responseChecks } from "./checks/response-checks.js";
import { exchange, toCurl, type Exchange } from "./exchange.js";
import { MissingValue, resolvePlaceholders } from "./placeholders.js";
import { planScenarios, type PlanOptions } from "./plan.js";
import { changedFields, readProfile, restoreProfile, type GuardContext, type Profile } from "./profile-guard.js";
import { countStatuses, exitCodeFor, type ConformanceEvent, type ConformanceSummary, type ScenarioResult, type StepResult } from "./results.js";
import { loadScenarios, type Scenario, type SendStep } from "./scenario.js";
import type { Target } from "./target.js";

/** conformance/scenarios in the package. */
export const DEFAULT_SCENARIOS_DIR = fileURLToPath(new URL("../../conformance/scenarios", import.meta.url));

export interface ConformanceOptions extends PlanOptions {
  baseUrl: string;
  /** The target's cv-api-key. Never printed or written to a report. */
  apiKey: string;
  target: Target;
  /** Default: every scenario in conformance/scenarios. */
  scenarios?: readonly Scenario[];
  /** Inferred checks fail the run too. */
  strict?: boolean;
  /** Per request. */
  timeoutMs?: number;
  onEvent?: (event: ConformanceEvent) => void;
  contract?: Contract;
}

export async function runConformance(options: ConformanceOptions): Promise<ConformanceSummary> {
  const contract = options.contract ?? loadContract();
  const scenarios = options.scenarios ?? loadScenarios(DEFAULT_SCENARIOS_DIR);
  const guard: GuardContext = { baseUrl: options.baseUrl, apiKey: options.apiKey, timeoutMs: options.timeoutMs ?? 10_000 };
  const emit = options.onEvent ?? (() => {});
  const startedAt = new Date();
  const plan = planScenarios(scenarios, options.target, options);
  emit({ type: "runStarted", baseUrl: options.baseUrl, scenarios: plan.run });

  const results: ScenarioResult[] = plan.skipped.map(({ scenario, reason }) => ({ ...describe(scenario), status: "skipped", reason, steps: [], durationMs: 0 }));
  for (const r of results) emit({ type: "scenarioFinished", result: r });

  // One harmless request first: an unreachable target is a harness error (exit 2), not 40 failed scenarios.
  const preflight = plan.run.length > 0 ? await exchange(options.baseUrl, { method: "POST", apiKeyIsSecret: false, contentType: "application/json", body: "{}" }, guard.timeoutMs) : undefined;
  const fatal = preflight?.transportError ? `The target cannot be reached: ${preflight.transportError}. Check --base-url and that the server is up.` : undefined;

  if (!fatal) {
    for (const scenario of plan.run) {
      const result = await runScenario(contract, scenario, options, guard);
      results.push(result);
      emit({ type: "scenarioFinished", result });
    }
  }

  const counts = countStatuses(results);
  const restoreFailures = results.filter((r) => r.restore && !r.restore.ok).length;
  const summary: ConformanceSummary = {
    baseUrl: options.baseUrl,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    strict: options.strict === true,
    readOnly: options.readOnly === true,
    counts,
    restoreFailures,
    results,
    ...(fatal ? { fatal } : {}),
    exitCode: exitCodeFor(counts, restoreFailures, fatal),
  };
  emit({ type: "runFinished", summary });
  return summary;
}

function describe(s: Scenario) {
  return { id: s.id, title: s.title, tier: s.tier, source: s.source, tags: s.tags, file: s.file };
}

async function runScenario(contract: Contract, scenario: Scenario, options: ConformanceOptions, guard: GuardContext): Promise<ScenarioResult> {
  const started = performance.now();
  const steps: StepResult[] = [];
  const result = (status: ScenarioResult["status"], extra: Partial<ScenarioResult> = {}): ScenarioResult => ({
    ...describe(scenario),
    status,
    steps,
    durationMs: Math.round(performance.now() - started),
    ...extra,
  });
  const tierOf = (check: CheckResult): Tier => (scenario.tier === "inferred" ? "inferred" : check.tier);
  const record = (kind: StepResult["kind"], ex: Exchange, checks: CheckResult[]) => {
    steps.push({ kind, exchange: ex, curl: toCurl(ex.request), checks: checks.map((c) => ({ ...c, tier: tierOf(c) })) });
  };

  // Snapshots of the guarded accounts.
  const snapshots: Record<string, Profile> = {};
  for (const name of scenario.guard) {
    const email = options.target.accounts[name]!.email;
    const read = await readProfile(guard, email);
    record("snapshot", read.exchange, read.exchange.response ? responseChecks(contract, read.exchange.response, [options.apiKey]) : []);
    if (!read.profile) {
      const answer = read.exchange.transportError ?? `${read.exchange.response?.status} ${read.exchange.response?.text.slice(0, 200)}`;
      return result("error", { reason: `could not read accounts.${name} (${email}) before the scenario: ${answer}. Check the target file.` });
    }
    snapshots[name] = read.profile;
  }

  let outcome: { status: ScenarioResult["status"]; reason?: string } | undefined;
  const context = { accounts: options.target.accounts, snapshot: snapshots, freePhoneNumber: options.target.freePhoneNumber, unknownEmail: options.target.unknownEmail };
  try {
    for (const step of scenario.steps) {
      if ("read" in step) {
        const read = await readProfile(guard, options.target.accounts[step.read]!.email);
        if (!read.exchange.response) {
          outcome = { status: "error", reason: read.exchange.transportError! };
          break;
        }
        const checks = [...responseChecks(contract, read.exchange.response, [options.apiKey])];
        if (step.expect) {
          checks.push(...expectationChecks(contract, resolvePlaceholders(step.expect, context), read.exchange.response, { snapshot: snapshots[step.read]! }));
        }
        record("read", read.exchange, checks);
        continue;
      }
      const { spec, sent } = buildRequest(resolvePlaceholders(step.send, context), options.apiKey);
      const ex = await exchange(options.baseUrl, spec, guard.timeoutMs);
      if (!ex.response) {
        record("send", ex, []);
        outcome = { status: "error", reason: ex.transportError! };
        break;
      }
      const expectation = resolvePlaceholders((step as SendStep).expect, context);
      const keys = spec.apiKey === undefined ? [] : [spec.apiKey];
      record("send", ex, [...responseChecks(contract, ex.response, keys), ...expectationChecks(contract, expectation, ex.response, { sent })]);
    }
  } catch (error) {
    if (!(error instanceof MissingValue)) throw error;
    outcome = { status: "skipped", reason: error.message };
  }

  const restore = await restoreGuarded(contract, scenario, options, guard, snapshots, record);
  if (!outcome) {
    const failed = steps.flatMap((s) => s.checks).filter((c) => !c.ok);
    const gating = failed.filter((c) => c.tier === "documented" || options.strict);
    outcome = gating.length > 0 ? { status: "failed" } : failed.length > 0 ? { status: "warned" } : { status: "passed" };
  }
  return result(outcome.status, { ...(outcome.reason ? { reason: outcome.reason } : {}), ...(restore ? { restore } : {}) });
}

function buildRequest(send: SendStep["send"], apiKey: string) {
  const keyChoice = send.apiKey ?? "target";
  const sent = send.data;
  const body = send.raw ?? (send.data !== undefined ? JSON.stringify({ action: "UPDATE_PROFILE", data: send.data }) : send.body !== undefined ? JSON.stringify(send.body) : undefined);
  return {
    sent,
    spec: {
      method: send.method ?? "POST",
      ...(keyChoice === "none" ? {} : { apiKey: keyChoice === "target" ? apiKey : keyChoice }),
      apiKeyIsSecret: keyChoice === "target",
      ...(send.contentType === null ? {} : { contentType: send.contentType ?? "application/json" }),
      ...(body !== undefined ? { body } : {}),
    },
  };
}

/** After the steps: read each guarded account again and write back what changed. */
async function restoreGuarded(
  contract: Contract,
  scenario: Scenario,
  options: ConformanceOptions,
  guard: GuardContext,
  snapshots: Record<string, Profile>,
  record: (kind: StepResult["kind"], ex: Exchange, checks: CheckResult[]) => void,
): Promise<{ ok: boolean; message: string } | undefined> {
  const messages: string[] = [];
  let ok = true;
  for (const [name, snapshot] of Object.entries(snapshots)) {
    const email = options.target.accounts[name]!.email;
    const now = await readProfile(guard, email);
    if (!now.profile) {
      ok = false;
      messages.push(`FAILED to read ${email} after the scenario; check it by hand`);
      continue;
    }
    if (changedFields(contract, snapshot, now.profile).length === 0) continue;
    const restored = await restoreProfile(contract, guard, email, snapshot, now.profile);
    for (const ex of restored.exchanges) record("restore", ex, []);
    ok &&= restored.ok;
    messages.push(restored.message);
  }
  return messages.length > 0 ? { ok, message: messages.join("; ") } : undefined;
}
