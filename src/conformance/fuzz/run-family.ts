/**
 * @module conformance/fuzz/run-family
 * One family of generated requests against one account: fast-check generates and sends them, a failure is pinned
 * to one request (a batch read back together is replayed one by one) and shrunk, and the account is put back.
 * The run's state is one explicit object (FamilyRun) that each step below reads and updates.
 */
import fc from "fast-check";
import { asDateTime } from "../new-values.js";
import type { Contract } from "../../contract/contract.js";
import { keyOf, noteLag, type Key } from "../access.js";
import type { CheckResult } from "../checks/check-result.js";
import { runChecks } from "../checks/registry.js";
import { forRecord, toCurl, type Exchange } from "../exchange.js";
import { effectOf } from "../gating.js";
import { readAccount, updateRequest, type Profile } from "../read-profile.js";
import { changedFields, pollUntil, restoreAccount } from "../restore-account.js";
import type { ScenarioResult, StepResult } from "../results.js";
import type { FuzzFamily, FuzzInput } from "./families.js";
import type { FuzzContext } from "./run-fuzz.js";
import { simplify } from "./simplify.js";

interface RunOutcome {
  ok: boolean;
  steps: StepResult[];
}

/** Requests whose answer shows nothing wrong are read back together, this many at a time. */
const READ_BACK_EVERY = 16;
/** Shrinking a failure tries at most this many smaller requests (each one real requests to the target). */
const SHRINK_BUDGET = 150;

/** A read back found the account changed, and one of several requests did it: which one is found by replaying them. */
class Unattributed extends Error {
  constructor(readonly suspects: FuzzInput[]) {
    super("the account changed, and several requests could have done it");
  }
}

class RestoreFailed extends Error {
  constructor(
    message: string,
    readonly oldValues: Record<string, unknown>,
    readonly commands?: string[],
  ) {
    super(message);
  }
}

/** One family's run: what it was given, and what it has found so far. */
interface FamilyRun {
  readonly ctx: FuzzContext;
  readonly family: FuzzFamily;
  readonly seed: number;
  /** The account before the family: what every put-back returns to. */
  readonly snapshot: Profile;
  readonly email: string;
  readonly key: Key;
  readonly judges: ReadonlySet<string>;
  /** What the account holds now, as far as the oracle knows. */
  current: Profile;
  /** Requests sent, shrinking and replays included. */
  requests: number;
  /** Requests answered as the oracle expects whose read back is still to come. */
  pending: FuzzInput[];
  /** Once a request fails, every request reads back at once: shrinking must judge each candidate alone. */
  eager: boolean;
  shrinkCalls: number;
  /** Set when a run cannot go on (no answer, a batch to replay, a failed restore): the remaining runs send nothing. */
  stop?: Error;
  /** fast-check's account of the generated runs. */
  details?: fc.RunDetails<[FuzzInput]>;
  /** The request found failing, before shrinking. */
  failing?: FuzzInput;
  /** It was found by replaying a batch, not by fast-check. */
  attributed: boolean;
  /** The outcome of the last request that failed: after shrinking, the simplest. */
  failure?: RunOutcome;
  harnessError?: string;
  restoreFailure?: RestoreFailed;
}

export async function runFamily(ctx: FuzzContext, family: FuzzFamily, runs: number, seed: number, snapshot: Profile): Promise<ScenarioResult> {
  const started = performance.now();
  const run: FamilyRun = {
    ctx,
    family,
    seed,
    snapshot,
    email: ctx.access.target.accounts[family.account]!.email,
    key: keyOf(ctx.access, family.account)!,
    judges: new Set<string>(family.judges),
    current: snapshot,
    requests: 0,
    pending: [],
    eager: false,
    shrinkCalls: 0,
    attributed: false,
  };
  try {
    await findFailing(run, runs);
    if (run.failing) await shrink(run, run.failing);
  } catch (error) {
    if (error instanceof RestoreFailed) run.restoreFailure = error;
    else run.harnessError ??= (error as Error).message;
  } finally {
    if (!run.restoreFailure) await restoreAtEnd(run);
  }
  return resultOf(run, Math.round(performance.now() - started));
}

/** Generated runs, then the batch still waiting for its read back: `failing` is set if one request fails. */
async function findFailing(run: FamilyRun, runs: number): Promise<void> {
  const { contract } = run.ctx;
  try {
    run.details = await checkProperty(run, runs);
    if (run.details.failed && run.details.counterexample) run.failing = run.details.counterexample[0];
    else if (run.pending.length > 0) {
      // Requests still waiting for their read back are judged now.
      const read = await readBack(run);
      if (changedFields(contract, run.current, read.profile).length > 0) {
        const suspects = run.pending;
        await putBack(run);
        [run.failing, run.attributed] = [await culpritOf(run, suspects), true];
      }
    }
  } catch (error) {
    if (!(error instanceof Unattributed)) throw error;
    [run.failing, run.attributed] = [await culpritOf(run, error.suspects), true];
  }
}

/** fast-check's property over the family's arbitrary: each input one request, judged by the family's oracle. */
async function checkProperty(run: FamilyRun, numRuns: number): Promise<fc.RunDetails<[FuzzInput]>> {
  run.stop = undefined;
  const result = await fc.check(
    fc.asyncProperty(run.family.arbitrary, async (input) => {
      // Past the budget, every candidate "passes" without a request: fast-check keeps the smallest failure so far.
      if (run.stop || run.ctx.signal?.aborted || (run.eager && ++run.shrinkCalls > SHRINK_BUDGET)) return true;
      try {
        const outcome = await sendOne(run, input, run.eager);
        if (!outcome.ok) {
          run.failure = outcome;
          run.eager = true;
        }
        return outcome.ok;
      } catch (error) {
        run.stop = error as Error;
        return true;
      }
    }),
    { seed: run.seed, numRuns, examples: [] },
  );
  if (run.stop) throw run.stop;
  return result;
}

/** Replays a batch one request at a time, each read back: the first that fails is the one. */
async function culpritOf(run: FamilyRun, suspects: readonly FuzzInput[]): Promise<FuzzInput> {
  run.eager = true;
  for (const suspect of suspects) if (!(await sendOne(run, suspect, true)).ok) return suspect;
  throw new Error("the account changed during a batch of requests, and none of them did it again alone");
}

/** Smaller still, by cheap steps; `failure` ends as the outcome of the last request that failed: the simplest. */
async function shrink(run: FamilyRun, failing: FuzzInput): Promise<void> {
  const { family, ctx } = run;
  run.eager = true;
  // A smaller request counts only if it fails the same checks (an email alone fails "refused" for other reasons).
  let signature: string | undefined;
  const fails = async (input: FuzzInput) => {
    // Shrinking never drops what makes the request a probe of its rule.
    if (family.precondition && !family.precondition(input)) return false;
    const outcome = await sendOne(run, input, true);
    const failed = outcome.steps
      .flatMap((st) => st.checks)
      .filter((c) => !c.ok && effectOf(c, ctx) !== "note")
      .map((c) => c.check)
      .sort()
      .join(",");
    if (outcome.ok || (signature !== undefined && failed !== signature)) return false;
    signature = failed;
    run.failure = outcome;
    return true;
  };
  run.failure = undefined;
  if (await fails(failing)) await simplify(failing, fails);
}

/** One request and its oracle. `eager`: read the account back at once (while shrinking, and when replaying). */
async function sendOne(run: FamilyRun, input: FuzzInput, eager: boolean): Promise<RunOutcome> {
  const { contract, access } = run.ctx;
  const { family } = run;
  run.requests++;
  const ex = await access.transport.send(requestOf(input, run.key), "rateLimit");
  if (!ex.response) {
    run.harnessError = ex.transportError;
    throw new Error(ex.transportError);
  }
  // Judged on the answer alone first: the account as the answer shows it (a 200's user), or as it was.
  const answered = (ex.response.json as { data?: { user?: Profile } } | undefined)?.data?.user;
  const success = ex.response.status >= 200 && ex.response.status < 300;
  const applied = success && input.data !== undefined && family.kind === "valid";
  const assumed = success && answered && typeof answered === "object" ? answered : run.current;
  // An applied update changes what it sent, to the service's own form of it as its answer shows; anything refused changes nothing.
  const expected = applied ? { ...run.current, ...pickSent(contract, input.data!, answered) } : run.current;
  const first = judge(run, input, ex, run.current, assumed);
  if (!eager && passes(run, first) && run.pending.length + 1 < READ_BACK_EVERY) {
    run.pending.push(input);
    run.current = expected;
    return { ok: true, steps: [] };
  }
  const read = await readBack(run, applied ? pickSent(contract, input.data!, answered) : undefined);
  const checks = judge(run, input, ex, run.current, read.profile);
  const steps: StepResult[] = [
    { kind: "send", index: 0, exchange: forRecord(ex), curl: toCurl(ex.request), checks },
    { kind: "read", index: 1, exchange: forRecord(read.exchange), curl: toCurl(read.exchange.request), checks: [] },
  ];
  const changed = !passes(
    run,
    checks.filter((c) => c.check === "nothing_changed" || c.check === "fields_not_sent_unchanged" || c.check === "update_kept"),
  );
  if (changed && run.pending.length > 0) {
    // This request or an earlier one of the batch changed the account: replay them one by one to know which.
    const suspects = [...run.pending, input];
    await putBack(run);
    throw new Unattributed(suspects);
  }
  run.pending = [];
  if (changed) await putBack(run);
  else run.current = read.profile;
  return { ok: passes(run, checks), steps };
}

/** The family's oracle on one request, with the account as it was before it and as it is now (or is taken to be). */
function judge(run: FamilyRun, input: FuzzInput, ex: Exchange, before: Profile, after: Profile | undefined): CheckResult[] {
  const { contract } = run.ctx;
  const { family } = run;
  return runChecks(
    {
      contract,
      kind: "send",
      scenario: { tier: family.tier, source: family.source },
      expect: family.expect(input, ex.response!.status),
      response: ex.response!,
      ...(input.data ? { sent: input.data, sentToAccount: profileFieldsOf(contract, input.data) } : { sentToAccount: {} }),
      ...(after ? { profile: after } : {}),
      snapshot: before,
    },
    run.judges,
  );
}

/** A notes-only difference (inferred wording) is no counterexample: it is not worth a shrink of real requests. */
function passes(run: FamilyRun, checks: readonly CheckResult[]): boolean {
  return checks.every((c) => c.ok || effectOf(c, run.ctx) === "note");
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The account as it is now. On a target seen to lag (a write-behind queue, a replica), a read waits the lag out
 * first, and a read that must show acknowledged values is given the same patience as the scenarios' reads.
 */
async function readBack(run: FamilyRun, shows?: Profile): Promise<{ profile: Profile; exchange: Exchange }> {
  const { contract, access } = run.ctx;
  if (access.observedLagMs > 0) await sleep(access.observedLagMs + 50);
  const since = Date.now();
  const once = () => readAccount(access, run.family.account);
  const seen = (r: Awaited<ReturnType<typeof once>>) =>
    !shows || (r.profile !== undefined && changedFields(contract, shows, { ...shows, ...pickFields(r.profile, Object.keys(shows)) }).length === 0);
  let read = await once();
  if (read.profile && !seen(read)) {
    read = await pollUntil(once, seen, 3000, sleep);
    if (seen(read)) noteLag(access, Date.now() - since);
  }
  if (!read.profile) {
    run.harnessError = `could not read ${run.email} back (${read.exchange.response?.status ?? read.exchange.transportError})`;
    throw new Error(run.harnessError);
  }
  return { profile: read.profile, exchange: read.exchange };
}

/** Back to the snapshot, so that the next request (and the shrinking) starts clean. */
async function putBack(run: FamilyRun): Promise<void> {
  const restored = await restoreAccount({ contract: run.ctx.contract, access: run.ctx.access }, run.family.account, run.snapshot);
  if (restored && !restored.ok) throw new RestoreFailed(restored.message, restored.oldValues, restored.commands);
  run.current = run.snapshot;
  run.pending = [];
}

/** The account is put back whatever happened, unless a restore has failed already (its report is kept). */
async function restoreAtEnd(run: FamilyRun): Promise<void> {
  const restored = await restoreAccount({ contract: run.ctx.contract, access: run.ctx.access }, run.family.account, run.snapshot);
  if (restored && !restored.ok) run.restoreFailure = new RestoreFailed(restored.message, restored.oldValues, restored.commands);
}

/** The family as one result: an error if the run could not conclude, else the verdict on the simplest failure. */
function resultOf(run: FamilyRun, durationMs: number): ScenarioResult {
  const { family, seed, details, restoreFailure, failure, ctx } = run;
  const base = {
    id: family.id,
    title: family.title,
    tier: family.tier,
    source: family.source,
    tags: family.tags,
    file: "(generated from openapi.yaml)",
    durationMs,
    fuzz: { runs: run.requests, seed, ...(details?.failed ? { path: details.counterexamplePath ?? "" } : {}) },
    ...(restoreFailure ? { restore: { ok: false, accounts: [restoreReport(run, restoreFailure)] } } : {}),
  };
  if (run.harnessError || (run.failing && !failure)) {
    return {
      ...base,
      status: "error",
      reason: `the fuzzing stopped: ${run.harnessError ?? "a failure that did not happen again"}`,
      steps: failure?.steps ?? [],
    };
  }
  if (!failure) return { ...base, status: "passed", steps: [] };
  const failed = failure.steps.flatMap((st) => st.checks).filter((c) => !c.ok);
  const status = failed.some((c) => effectOf(c, ctx) === "fail") ? "failed" : failed.some((c) => effectOf(c, ctx) === "warn") ? "warned" : "passed";
  return {
    ...base,
    status,
    reason: run.attributed
      ? `the account changed during a batch of requests; replayed one by one, this one did it, made as small as it still fails (replay: --seed ${seed})`
      : `a counterexample after ${details?.numRuns ?? "?"} runs, shrunk to the smallest request that still fails, below (replay: --seed ${seed})`,
    steps: failure.steps,
  };
}

function restoreReport(run: FamilyRun, failure: RestoreFailed) {
  const { message, oldValues, commands } = failure;
  return { account: run.family.account, email: run.email, ok: false, message, oldValues, ...(commands ? { commands } : {}) };
}

function requestOf(input: FuzzInput, key: Key) {
  if (input.data) return updateRequest(key, input.data);
  return { ...updateRequest(key, {}), body: input.raw ?? JSON.stringify(input.body) };
}

function profileFieldsOf(contract: Contract, data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([f]) => contract.profileFields.includes(f)));
}

/** The fields an applied update sent, as the service's answer shows them (its own form), else as sent (dob as a date-time). */
function pickSent(contract: Contract, data: Record<string, unknown>, answered: Profile | undefined): Profile {
  const out: Profile = {};
  for (const [field, value] of Object.entries(profileFieldsOf(contract, data))) {
    out[field] =
      answered && Object.hasOwn(answered, field) ? answered[field] : field === "dob" && typeof value === "string" ? asDateTime(value) : value;
  }
  return out;
}

function pickFields(profile: Profile, fields: readonly string[]): Profile {
  return Object.fromEntries(fields.map((f) => [f, profile[f]]));
}
