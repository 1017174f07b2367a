/**
 * @module conformance/run-scenario
 * One scenario against the target: snapshot every account it names, plan its writes against those snapshots,
 * send its steps and check each answer, then restore what changed. The restore runs on every path (a failure, an
 * exception, a timeout, a run that must stop); after a timeout it first waits for the late write to land.
 */
import type { Contract } from "../contract/contract.js";
import { claimPatience, noteLag, REFUSED_WRITE_SETTLE_MS, restorable, type Access } from "./access.js";
import type { CheckResult } from "./checks/check-result.js";
import { sameNormalForm } from "./checks/normal-form.js";
import { runChecks } from "./checks/registry.js";
import { forRecord, toCurl, type Exchange } from "./exchange.js";
import { outcomeOf, type GatingOptions } from "./gating.js";
import { MissingValue, resolvePlaceholders } from "./placeholders.js";
import { describeAnswer, profileIn, readAccount, type Profile, type ReadResult } from "./read-profile.js";
import { changedFields, pollUntil, type AccountRestore } from "./restore-account.js";
import { restoreAccounts } from "./restore-accounts.js";
import type { ScenarioResult, StepResult } from "./results.js";
import type { Scenario, SendStep, Step } from "./scenario.js";
import { canWriteBack } from "./write-back.js";
import { planWrites, targetAccount, type PlannedStep } from "./write-plan.js";

export interface ScenarioContext extends GatingOptions {
  contract: Contract;
  access: Access;
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
  const { contract, access } = ctx;
  const { target } = access;
  const started = performance.now();
  const steps: StepResult[] = [];
  const record = (kind: StepResult["kind"], ex: Exchange, checks: CheckResult[] = [], index?: number) =>
    steps.push({ kind, ...(index !== undefined ? { index } : {}), exchange: forRecord(ex), curl: toCurl(ex.request), checks });
  const recordRead = (kind: StepResult["kind"], read: ReadResult, checks: CheckResult[] = [], index?: number) =>
    read.exchanges.forEach((ex, i) => record(kind, ex, i === read.exchanges.length - 1 ? checks : [], index));
  const accountOf = accountFinder(access);

  const snapshots: Record<string, Profile> = {};
  /** Accounts the run may not read: a conforming target will not change them either. */
  const unreadable = new Map<string, string>();
  const sentToAccount: Record<string, Record<string, unknown>> = {};
  /** What the target answered 200 with, per account, for the fields it was sent. */
  const acknowledged: Record<string, Record<string, unknown>> = {};
  /**
   * Values a 2xx was sent but does not show (it answers the user as it was, or none): the write may still land,
   * so reads wait for them as for acknowledged ones, but never take their absence for a failure.
   */
  const claimed: Record<string, Record<string, unknown>> = {};
  const appliedTo = new Set<string>();
  /** Accounts sent profile fields in a request the target refused (answered, not 2xx): they must not change at all. */
  const refusedWrites = new Set<string>();
  /** When the scenario last sent a request: a lagging target's late write lands within its lag of it. */
  let lastSentAt = 0;
  /** How much of the target's lag is still to wait out since the scenario's last request (0 when it never lagged). */
  const lagLeft = () => (access.observedLagMs > 0 ? Math.max(0, access.observedLagMs + 50 - (Date.now() - lastSentAt)) : 0);
  /** When the target last acknowledged a write to each account, to measure how far its reads lag. */
  const acknowledgedAt: Record<string, number> = {};
  let sentAny = false;
  let timedOut = false;
  let outcome: Pick<ScenarioResult, "status" | "reason" | "skipKind"> | undefined;
  let leftOut: ScenarioResult["leftOut"];
  let restores: AccountRestore[] = [];
  const cannotRestore = (account: string) =>
    unreadable.has(account)
      ? `accounts.${account} cannot be read by this run (${unreadable.get(account)}), so its values before are unknown`
      : !restorable(access, account)
        ? `accounts.${account} could not be put back: the endpoint (rightly) refuses to update it with any key of this run`
        : undefined;

  try {
    for (const name of accountsTouched(contract, scenario, target)) {
      const read = await readAccount(access, name);
      recordRead("snapshot", read);
      if (read.profile) snapshots[name] = read.profile;
      else if (read.refused) unreadable.set(name, read.refused);
      else {
        outcome = {
          status: "error",
          reason: `could not read accounts.${name} (${target.accounts[name]!.email}) before the scenario: ${describeAnswer(read.exchange)}`,
        };
        break;
      }
    }
    const subject = outcome ? undefined : chooseSubject(scenario);
    if (!outcome && subject && "unavailable" in subject) outcome = { status: "skipped", skipKind: "unavailable", reason: subject.unavailable };
    if (!outcome) {
      const context = { accounts: target.accounts, snapshot: snapshots, freePhoneNumber: target.freePhoneNumber, unknownEmail: target.unknownEmail };
      const steps = subject && "account" in subject ? withSubject(scenario.steps, subject.account) : scenario.steps;
      const plan = planWrites(contract, resolvePlaceholders(steps, context), {
        snapshots,
        cannotRestore,
        accountOf,
        ...(target.freePhoneNumber ? { freePhoneNumber: target.freePhoneNumber } : {}),
      });
      if (plan.unsafe)
        outcome = { status: "skipped", skipKind: "unavailable", reason: `cannot run without a write it could not undo: ${plan.unsafe}` };
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
    const judged = { scenario: { tier: scenario.tier, source: scenario.source } };
    for (const { index, step } of planned) {
      const stopped = access.transport.stopped();
      if (stopped) return { status: "error", reason: `the target stopped answering: ${stopped}` };
      if (ctx.signal?.aborted) return { status: "error", reason: "interrupted before it finished" };
      if ("read" in step) {
        // An account no key of the run can read: a conforming target changed nothing there either.
        if (unreadable.has(step.read)) continue;
        const readIt = () => readAccount(access, step.read);
        const sleep = ctx.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
        const ack = acknowledged[step.read];
        // Nothing acknowledged to wait for, but a request went there: on a target seen to lag, a late write lands
        // within that lag. Waiting it out is what lets "nothing changed" be said.
        if (!ack && sentToAccount[step.read]) await sleep(lagLeft());
        let read = await readIt();
        // A read that does not show yet what the target acknowledged may lag (a replica): give it some patience.
        const holds = (values: Record<string, unknown> | undefined, r: ReadResult) =>
          !values ||
          (r.profile !== undefined &&
            Object.keys(values).every((f) => changedFields(contract, { [f]: values[f] }, { [f]: r.profile![f] }).length === 0));
        const shows = (r: ReadResult) => holds(ack, r) && holds(claimed[step.read], r);
        if (read.profile && !shows(read)) {
          const patience = ctx.patienceMs ?? 3000;
          read = await pollUntil(readIt, shows, holds(ack, read) ? claimPatience(access, patience) : patience, sleep);
          if (shows(read)) noteLag(access, Date.now() - (acknowledgedAt[step.read] ?? Date.now()));
          else if (holds(ack, read)) access.claimsSeenLost = true;
        }
        const response = read.exchange.response;
        if (!response || response.status === 429 || (!read.profile && !read.refused)) {
          recordRead("read", read, [], index);
          return {
            status: "error",
            reason:
              response?.status === 429 ? rateLimited(read.exchange) : `could not read accounts.${step.read} back: ${describeAnswer(read.exchange)}`,
          };
        }
        const checks = runChecks({
          contract,
          kind: "read",
          ...judged,
          expect: step.expect ?? {},
          // The search endpoint's answer is another page's: only an update's answer is judged by the update's checks.
          ...(access.readMethod === "update" ? { response } : {}),
          ...(read.profile ? { profile: read.profile } : {}),
          ...(snapshots[step.read] ? { snapshot: snapshots[step.read] } : {}),
          sentToAccount: sentToAccount[step.read] ?? {},
        });
        recordRead("read", read, checks, index);
        continue;
      }
      const { spec, sent } = buildRequest(step.send, access);
      const account = targetAccount(step, accountOf);
      if (account && sent) Object.assign((sentToAccount[account] ??= {}), profileFieldsOf(sent));
      sentAny = true;
      const ex = await access.transport.send(spec, "rateLimit");
      lastSentAt = Date.now();
      if (!ex.response) {
        record("send", ex, [], index);
        if (ex.transportFailure === "timeout") timedOut = true;
        return {
          status: "error",
          reason: `${ex.transportError}${account ? ` (it went to accounts.${account}: read again and restored below)` : ""}`,
        };
      }
      if (ex.response.status === 429) {
        record("send", ex, [], index);
        return { status: "error", reason: rateLimited(ex) };
      }
      const profile = profileIn(ex.response.json as { data?: unknown } | undefined);
      const success = ex.response.status >= 200 && ex.response.status < 300;
      if (account && !success && sent && Object.keys(profileFieldsOf(sent)).length > 0) refusedWrites.add(account);
      if (account && success && sent && Object.keys(profileFieldsOf(sent)).length > 0) {
        appliedTo.add(account);
        acknowledgedAt[account] = Date.now();
        // What it answered for each field, or, answering no user, what it was sent: a read must show it before it is trusted.
        for (const field of Object.keys(profileFieldsOf(sent))) {
          const shown = profile && Object.hasOwn(profile, field) ? profile[field] : undefined;
          if (shown !== undefined && (sent[field] === null || sameNormalForm(field, sent[field], shown)))
            (acknowledged[account] ??= {})[field] = shown;
          else if (sent[field] !== null) (claimed[account] ??= {})[field] = sent[field];
        }
      }
      const checks = runChecks({
        contract,
        kind: "send",
        ...judged,
        expect: (step as SendStep).expect,
        response: ex.response,
        ...(sent ? { sent } : {}),
        ...(profile ? { profile } : {}),
        ...(account && snapshots[account] ? { snapshot: snapshots[account] } : {}),
        ...(account ? { sentToAccount: sentToAccount[account] ?? {} } : {}),
      });
      record("send", ex, checks, index);
    }
    return undefined;
  }

  /** The first candidate that holds every field the scenario probes, in a form this endpoint could take back. */
  function chooseSubject(s: Scenario): { account: string } | { unavailable: string } | undefined {
    if (!s.subject) return undefined;
    const { holds, from } = s.subject;
    const account = from.find(
      (name) => snapshots[name] && cannotRestore(name) === undefined && holds.every((f) => canWriteBack(contract, f, snapshots[name]![f])),
    );
    if (account) return { account };
    const held = from.filter((name) => target.accounts[name]).map((name) => `accounts.${name}`);
    return {
      unavailable: `no account of ${held.join(", ")} holds ${holds.join(", ")} in a form this endpoint could take back (a value to put back if the target wrongly took the probe): give one of them a valid ${holds.join(" and ")}`,
    };
  }

  function profileFieldsOf(data: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(data).filter(([k]) => contract.profileFields.includes(k)));
  }

  async function restoreAll(): Promise<AccountRestore[]> {
    return restoreAccounts(
      { contract, access, ...(ctx.sleep ? { sleep: ctx.sleep } : {}), ...(ctx.patienceMs !== undefined ? { patienceMs: ctx.patienceMs } : {}) },
      {
        snapshots,
        unreadable,
        addressed: new Set(Object.keys(sentToAccount)),
        appliedTo,
        refusedWrites,
        scenario: { tier: scenario.tier, source: scenario.source },
        acknowledged,
        claimed,
        settleMs: timedOut ? ctx.settleMs : 0,
        lagLeftMs: Math.max(lagLeft(), refusedWrites.size > 0 ? REFUSED_WRITE_SETTLE_MS - (Date.now() - lastSentAt) : 0),
      },
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
function accountsTouched(contract: Contract, scenario: Scenario, target: Access["target"]): string[] {
  const text = JSON.stringify(scenario.steps).toLowerCase();
  const literal = Object.entries(target.accounts)
    .filter(([, account]) => text.includes(account.email.toLowerCase()))
    .map(([name]) => name);
  const writes = scenario.steps.some(
    (step) => "send" in step && (step.send.change !== undefined || contract.profileFields.some((f) => text.includes(`"${f.toLowerCase()}"`))),
  );
  // A canary runs before the other accounts are known to be safe to read: it reads only its own.
  const everyAccount = writes && !scenario.tags.includes("canary");
  // A subject's candidates the target file does not name are not read (the plan found at least one that it does).
  return [...new Set([...scenario.accounts, ...literal, ...(everyAccount ? Object.keys(target.accounts) : [])])].filter(
    (name) => target.accounts[name],
  );
}

/** The steps with `subject` replaced by the account chosen for it. */
function withSubject(steps: readonly Step[], account: string): Step[] {
  const text = JSON.stringify(steps)
    .replace(/(\{\{\s*(?:accounts|snapshot)\.)subject\./g, `$1${account}.`)
    .replace(/(\{\{\s*new:)subject\./g, `$1${account}.`)
    .replace(/"read":"subject"/g, `"read":${JSON.stringify(account)}`);
  return JSON.parse(text) as Step[];
}

function accountFinder(access: Access): (email: string) => string | undefined {
  const byEmail = new Map(Object.entries(access.target.accounts).map(([name, a]) => [a.email.toLowerCase(), name]));
  return (email) => byEmail.get(email.toLowerCase());
}

function buildRequest(send: SendStep["send"], access: Access) {
  const keyChoice = send.apiKey ?? "target";
  const body =
    send.raw ??
    (send.data !== undefined
      ? JSON.stringify({ action: "UPDATE_PROFILE", data: send.data })
      : send.body !== undefined
        ? JSON.stringify(send.body)
        : undefined);
  const key = keyChoice === "target" ? access.key : undefined;
  return {
    sent: send.data,
    spec: {
      method: send.method ?? "POST",
      ...(keyChoice === "none" ? {} : key ? { apiKey: key.value, keyReference: key.reference } : { apiKey: keyChoice }),
      ...(send.contentType === null ? {} : { contentType: send.contentType ?? "application/json" }),
      ...(body !== undefined ? { body } : {}),
    },
  };
}
