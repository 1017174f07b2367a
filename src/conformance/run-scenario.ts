/**
 * @module conformance/run-scenario
 * One scenario against the target: snapshot every account it names, plan its writes against those snapshots,
 * send its steps and check each answer, then restore what changed. The restore runs on every path (a failure, an
 * exception, a timeout, a run that must stop); after a timeout it first waits for the late write to land.
 */
import type { Contract } from "../contract/contract.js";
import { withTier, type CheckResult } from "./checks/check-result.js";
import { expectationChecks } from "./checks/expectation-checks.js";
import { responseChecks } from "./checks/response-checks.js";
import { forRecord, toCurl, type Exchange } from "./exchange.js";
import { outcomeOf, type GatingOptions } from "./gating.js";
import { MissingValue, resolvePlaceholders } from "./placeholders.js";
import { changedFields, describeAnswer, pollUntil, readProfile, type AccountRestore, type Profile } from "./profile-guard.js";
import { restoreAccounts } from "./restore-accounts.js";
import type { ScenarioResult, StepResult } from "./results.js";
import type { Scenario, SendStep } from "./scenario.js";
import type { Target } from "./target.js";
import type { Transport } from "./transport.js";
import { planWrites, targetAccount, type PlannedStep } from "./write-plan.js";

export interface ScenarioContext extends GatingOptions {
  contract: Contract;
  transport: Transport;
  apiKey: string;
  target: Target;
  /** How long to wait after a timed-out request before reading its account again. */
  settleMs: number;
  /** Aborted (Ctrl-C): no further request of the scenario is sent, and its restore still runs. */
  signal?: AbortSignal;
  /** How long a read may lag behind a write the target acknowledged (3 s by default). */
  patienceMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export function describeScenario(s: Scenario) {
  return { id: s.id, title: s.title, tier: s.tier, source: s.source, tags: s.tags, file: s.file, ...(s.hint ? { hint: s.hint } : {}) };
}

export async function runScenario(ctx: ScenarioContext, scenario: Scenario): Promise<ScenarioResult> {
  const { contract, transport, apiKey, target } = ctx;
  const started = performance.now();
  const steps: StepResult[] = [];
  const record = (kind: StepResult["kind"], ex: Exchange, checks: CheckResult[] = [], index?: number) =>
    steps.push({ kind, ...(index !== undefined ? { index } : {}), exchange: forRecord(ex), curl: toCurl(ex.request), checks });
  const accountOf = accountFinder(target);

  const snapshots: Record<string, Profile> = {};
  /** Accounts the key may not read: a conforming target will not change them either. */
  const unreadable = new Map<string, string>();
  const sentToAccount: Record<string, Record<string, unknown>> = {};
  /** What the target answered 200 with, per account, for the fields it was sent. */
  const acknowledged: Record<string, Record<string, unknown>> = {};
  const appliedTo = new Set<string>();
  let sentAny = false;
  let timedOut = false;
  let outcome: Pick<ScenarioResult, "status" | "reason" | "skipKind"> | undefined;
  let leftOut: ScenarioResult["leftOut"];
  let restores: AccountRestore[] = [];

  try {
    for (const name of accountsTouched(contract, scenario, target)) {
      const read = await readProfile(transport, apiKey, target.accounts[name]!.email);
      record("snapshot", read.exchange);
      if (read.profile) snapshots[name] = read.profile;
      else if (read.refused) unreadable.set(name, read.refused);
      else {
        outcome = { status: "error", reason: `could not read accounts.${name} (${target.accounts[name]!.email}) before the scenario: ${describeAnswer(read.exchange)}` };
        break;
      }
    }
    if (!outcome) {
      const context = { accounts: target.accounts, snapshot: snapshots, freePhoneNumber: target.freePhoneNumber, unknownEmail: target.unknownEmail };
      const plan = planWrites(contract, resolvePlaceholders(scenario.steps, context), accountOf, snapshots, new Set(unreadable.keys()));
      if (plan.unsafe) outcome = { status: "skipped", skipKind: "unavailable", reason: `cannot run without a write it could not undo: ${plan.unsafe}` };
      else {
        if (plan.leftOut.length > 0) leftOut = plan.leftOut;
        outcome = await runSteps(plan.steps);
      }
    }
  } catch (error) {
    if (error instanceof MissingValue) outcome = { status: "skipped", skipKind: "unavailable", reason: error.message };
    else outcome = { status: "error", reason: `the scenario stopped on an error: ${(error as Error).message}` };
  } finally {
    if (sentAny) restores = await restoreAll();
  }

  const checks = steps.flatMap((s) => s.checks);
  const status = outcome?.status ?? outcomeOf(checks, ctx);
  return {
    ...describeScenario(scenario),
    status,
    ...(outcome?.reason ? { reason: outcome.reason } : {}),
    ...(outcome?.skipKind ? { skipKind: outcome.skipKind } : {}),
    steps,
    ...(leftOut ? { leftOut } : {}),
    ...(restores.length > 0 ? { restore: { ok: restores.every((r) => r.ok), accounts: restores.map(({ exchanges: _, ...r }) => r) } } : {}),
    durationMs: Math.round(performance.now() - started),
  };

  /** Sends the planned steps; returns an outcome only when the harness could not finish them. */
  async function runSteps(planned: readonly PlannedStep[]): Promise<typeof outcome> {
    const tierOf = (check: CheckResult) => (scenario.tier === "inferred" ? withTier(check, "inferred") : check);
    for (const { index, step } of planned) {
      const stopped = transport.stopped();
      if (stopped) return { status: "error", reason: `the target stopped answering: ${stopped}` };
      if (ctx.signal?.aborted) return { status: "error", reason: "interrupted before it finished" };
      if ("read" in step) {
        const readIt = () => readProfile(transport, apiKey, target.accounts[step.read]!.email);
        let read = await readIt();
        // A read that does not show yet what the target acknowledged may lag (a replica): give it some patience.
        const ack = acknowledged[step.read];
        const shows = (r: Awaited<ReturnType<typeof readIt>>) => !ack || (r.profile !== undefined && Object.keys(ack).every((f) => changedFields(contract, { [f]: ack[f] }, { [f]: r.profile![f] }).length === 0));
        if (read.profile && !shows(read)) read = await pollUntil(readIt, shows, ctx.patienceMs ?? 3000, ctx.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))));
        const response = read.exchange.response;
        if (!response || response.status === 429) {
          record("read", read.exchange, [], index);
          return { status: "error", reason: response ? rateLimited(read.exchange) : read.exchange.transportError! };
        }
        const expected = step.expect ? expectationChecks(contract, step.expect, response, { snapshot: snapshots[step.read], sentToAccount: sentToAccount[step.read] ?? {} }) : [];
        record("read", read.exchange, [...responseChecks(contract, response), ...expected.map(tierOf)], index);
        continue;
      }
      const { spec, sent } = buildRequest(step.send, apiKey);
      const account = targetAccount(step, accountOf);
      if (account && sent) Object.assign((sentToAccount[account] ??= {}), profileFieldsOf(sent));
      sentAny = true;
      const ex = await transport.send(spec, "rateLimit");
      if (!ex.response) {
        record("send", ex, [], index);
        if (ex.transportFailure === "timeout") timedOut = true;
        return { status: "error", reason: `${ex.transportError}${account ? ` (it went to accounts.${account}: read again and restored below)` : ""}` };
      }
      if (ex.response.status === 429) {
        record("send", ex, [], index);
        return { status: "error", reason: rateLimited(ex) };
      }
      if (account && ex.response.status === 200 && sent && Object.keys(profileFieldsOf(sent)).length > 0) {
        appliedTo.add(account);
        const user = (ex.response.json as { data?: { user?: Record<string, unknown> } } | undefined)?.data?.user;
        if (user) for (const field of Object.keys(profileFieldsOf(sent))) (acknowledged[account] ??= {})[field] = user[field];
      }
      const expected = expectationChecks(contract, (step as SendStep).expect, ex.response, {
        ...(sent ? { sent } : {}),
        ...(account ? { snapshot: snapshots[account], sentToAccount: sentToAccount[account] } : {}),
      });
      record("send", ex, [...responseChecks(contract, ex.response, sent ? { sent } : {}), ...expected.map(tierOf)], index);
    }
    return undefined;
  }

  function profileFieldsOf(data: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(data).filter(([k]) => contract.profileFields.includes(k)));
  }

  async function restoreAll(): Promise<AccountRestore[]> {
    return restoreAccounts(
      { contract, transport, apiKey, target, ...(ctx.sleep ? { sleep: ctx.sleep } : {}), ...(ctx.patienceMs !== undefined ? { patienceMs: ctx.patienceMs } : {}) },
      { snapshots, unreadable, addressed: new Set(Object.keys(sentToAccount)), appliedTo, acknowledged, settleMs: timedOut ? ctx.settleMs : 0 },
      (ex, checks) => record("restore", ex, checks),
    );
  }
}

/** A 429 that outlived the retries is not the target's answer to the scenario: the harness could not ask. */
function rateLimited(ex: Exchange): string {
  const retryAfter = ex.response?.headers["retry-after"];
  return `the target rate-limits the suite (429${retryAfter ? `, Retry-After ${retryAfter}` : ""}) even after waiting: run again later`;
}

/**
 * The accounts a scenario names, any account of the target file whose email it writes literally, and, when it sends
 * a profile field at all, every account of the target file: an update that reaches another user (a missing WHERE)
 * is found and undone too.
 */
function accountsTouched(contract: Contract, scenario: Scenario, target: Target): string[] {
  const text = JSON.stringify(scenario.steps).toLowerCase();
  const literal = Object.entries(target.accounts)
    .filter(([, account]) => text.includes(account.email.toLowerCase()))
    .map(([name]) => name);
  const writes = scenario.steps.some((step) => "send" in step && contract.profileFields.some((f) => text.includes(`"${f.toLowerCase()}"`)));
  return [...new Set([...scenario.accounts, ...literal, ...(writes ? Object.keys(target.accounts) : [])])];
}

function accountFinder(target: Target): (email: string) => string | undefined {
  const byEmail = new Map(Object.entries(target.accounts).map(([name, a]) => [a.email.toLowerCase(), name]));
  return (email) => byEmail.get(email.toLowerCase());
}

function buildRequest(send: SendStep["send"], apiKey: string) {
  const keyChoice = send.apiKey ?? "target";
  const body = send.raw ?? (send.data !== undefined ? JSON.stringify({ action: "UPDATE_PROFILE", data: send.data }) : send.body !== undefined ? JSON.stringify(send.body) : undefined);
  return {
    sent: send.data,
    spec: {
      method: send.method ?? "POST",
      ...(keyChoice === "none" ? {} : { apiKey: keyChoice === "target" ? apiKey : keyChoice }),
      apiKeyIsSecret: keyChoice === "target",
      ...(send.contentType === null ? {} : { contentType: send.contentType ?? "application/json" }),
      ...(body !== undefined ? { body } : {}),
    },
  };
}
