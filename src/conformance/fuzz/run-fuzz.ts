/**
 * @module conformance/fuzz/run-fuzz
 * Property-based requests against any target, with the vendor's rules as the oracle (fast-check drives the
 * generation and shrinks a failure to a minimal body). Each request is sent, the account is read back, and the
 * oracle of its family judges both. The account is put back whenever it differs from what the oracle expects, and
 * always at the end, under the suite's safety rules. One seed replays a whole run exactly.
 */
import fc from "fast-check";
import { asDateTime } from "../new-values.js";
import type { Contract } from "../../contract/contract.js";
import { keyOf, noteLag, type Access, type Key } from "../access.js";
import type { CheckResult } from "../checks/check-result.js";
import { isDestructive, runChecks } from "../checks/registry.js";
import { forRecord, toCurl, type Exchange } from "../exchange.js";
import { effectOf, type GatingOptions } from "../gating.js";
import { readAccount, updateRequest, type Profile } from "../read-profile.js";
import { changedFields, pollUntil, restoreAccount } from "../restore-account.js";
import type { ScenarioResult, StepResult } from "../results.js";
import { fuzzFamilies, type FuzzFamily, type FuzzInput } from "./families.js";
import { simplify } from "./simplify.js";

export interface FuzzOptions {
  /** How many generated requests in all (shared among the families by weight). */
  runs: number;
  /** Replays a run exactly. */
  seed: number;
  /** Leave out the valid updates (a conforming target would apply them). */
  readOnly?: boolean;
  /** Which families run (by id or tag); all by default. */
  select?: (family: { id: string; tags: string[] }) => boolean;
}

export interface FuzzContext extends GatingOptions {
  contract: Contract;
  access: Access;
  /** Aborted (Ctrl-C): no more requests; the family under way restores its account. */
  signal?: AbortSignal;
}

/** Runs every family; each becomes one result. `onResult` is called as each finishes. */
export async function runFuzz(ctx: FuzzContext, options: FuzzOptions, onResult: (result: ScenarioResult) => void): Promise<ScenarioResult[]> {
  const { contract, access } = ctx;
  const { target, transport } = access;
  const emails = Object.fromEntries(Object.entries(target.accounts).map(([name, a]) => [name, a.email]));
  const snapshots: Record<string, Profile> = {};
  for (const name of Object.keys(emails)) {
    const read = await readAccount(access, name);
    if (read.profile) snapshots[name] = read.profile;
  }
  const families = fuzzFamilies({ contract, snapshots, emails, ...(target.freePhoneNumber ? { freePhoneNumber: target.freePhoneNumber } : {}) }).filter(
    // --read-only: nothing a target that follows the page may apply (valid updates, and values only the kit refuses).
    (f) => (options.select?.(f) ?? true) && !(options.readOnly && (f.kind === "valid" || f.tier === "inferred")),
  );
  const shares = share(options.runs, families.map((f) => f.weight));
  const results: ScenarioResult[] = [];
  for (const [index, family] of families.entries()) {
    const runs = Math.max(1, shares[index]!);
    const result = await runFamily(ctx, family, runs, options.seed, snapshots[family.account]!);
    results.push(result);
    onResult(result);
    const destructive = result.steps.some((st) => st.checks.some(isDestructive));
    if (transport.stopped() || ctx.signal?.aborted || (result.restore && !result.restore.ok) || destructive) break;
  }
  return results;
}

/** `total` split by weight into whole numbers that add up to it (largest remainders first). */
function share(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  const missing = total - out.reduce((a, b) => a + b, 0);
  for (let k = 0; k < missing; k++) out[order[k % order.length]![1]]!++;
  return out;
}

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

async function runFamily(ctx: FuzzContext, family: FuzzFamily, runs: number, seed: number, snapshot: Profile): Promise<ScenarioResult> {
  const { contract, access } = ctx;
  const { transport } = access;
  const email = access.target.accounts[family.account]!.email;
  const key = keyOf(access, family.account)!;
  const judges = new Set<string>(family.judges);
  const started = performance.now();
  /** What the account holds now, as far as the oracle knows. */
  let current: Profile = snapshot;
  let requests = 0;
  let harnessError: string | undefined;
  /** Requests answered as the oracle expects whose read back is still to come. */
  let pending: FuzzInput[] = [];

  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  /**
   * The account as it is now. On a target seen to lag (a write-behind queue, a replica), a read waits the lag out
   * first, and a read that must show acknowledged values is given the same patience as the scenarios' reads.
   */
  const readBack = async (shows?: Profile): Promise<{ profile: Profile; exchange: Exchange }> => {
    if (access.observedLagMs > 0) await sleep(access.observedLagMs + 50);
    const since = Date.now();
    const once = () => readAccount(access, family.account);
    const seen = (r: Awaited<ReturnType<typeof once>>) => !shows || (r.profile !== undefined && changedFields(contract, shows, { ...shows, ...pickFields(r.profile, Object.keys(shows)) }).length === 0);
    let read = await once();
    if (read.profile && !seen(read)) {
      read = await pollUntil(once, seen, 3000, sleep);
      if (seen(read)) noteLag(access, Date.now() - since);
    }
    if (!read.profile) {
      harnessError = `could not read ${email} back (${read.exchange.response?.status ?? read.exchange.transportError})`;
      throw new Error(harnessError);
    }
    return { profile: read.profile, exchange: read.exchange };
  };
  /** Back to the snapshot, so that the next request (and the shrinking) starts clean. */
  const putBack = async () => {
    const restored = await restoreAccount({ contract, access }, family.account, snapshot);
    if (restored && !restored.ok) throw new RestoreFailed(restored.message, restored.oldValues, restored.commands);
    current = snapshot;
    pending = [];
  };

  /** One request and its oracle. `eager`: read the account back at once (while shrinking, and when replaying). */
  /** The family's oracle on one request, with the account as it was before it and as it is now (or is taken to be). */
  const judge = (input: FuzzInput, ex: Exchange, before: Profile, after: Profile | undefined): CheckResult[] =>
    runChecks(
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
      judges,
    );
  /** A notes-only difference (inferred wording) is no counterexample: it is not worth a shrink of real requests. */
  const passes = (checks: readonly CheckResult[]) => checks.every((c) => c.ok || effectOf(c, ctx) === "note");

  const runOne = async (input: FuzzInput, eager: boolean): Promise<RunOutcome> => {
    requests++;
    const ex = await transport.send(requestOf(input, key), "rateLimit");
    if (!ex.response) {
      harnessError = ex.transportError;
      throw new Error(ex.transportError);
    }
    // Judged on the answer alone first: the account as the answer shows it (a 200's user), or as it was.
    const answered = (ex.response.json as { data?: { user?: Profile } } | undefined)?.data?.user;
    const success = ex.response.status >= 200 && ex.response.status < 300;
    const applied = success && input.data !== undefined && family.kind === "valid";
    const assumed = success && answered && typeof answered === "object" ? answered : current;
    // An applied update changes what it sent, to the service's own form of it as its answer shows; anything refused changes nothing.
    const expected = applied ? { ...current, ...pickSent(contract, input.data!, answered) } : current;
    const first = judge(input, ex, current, assumed);
    if (!eager && passes(first) && pending.length + 1 < READ_BACK_EVERY) {
      pending.push(input);
      current = expected;
      return { ok: true, steps: [] };
    }
    const read = await readBack(applied ? pickSent(contract, input.data!, answered) : undefined);
    const checks = judge(input, ex, current, read.profile);
    const steps: StepResult[] = [
      { kind: "send", index: 0, exchange: forRecord(ex), curl: toCurl(ex.request), checks },
      { kind: "read", index: 1, exchange: forRecord(read.exchange), curl: toCurl(read.exchange.request), checks: [] },
    ];
    const changed = !passes(checks.filter((c) => c.check === "nothing_changed" || c.check === "fields_not_sent_unchanged" || c.check === "update_kept"));
    if (changed && pending.length > 0) {
      // This request or an earlier one of the batch changed the account: replay them one by one to know which.
      const suspects = [...pending, input];
      await putBack();
      throw new Unattributed(suspects);
    }
    pending = [];
    if (changed) await putBack();
    else current = read.profile;
    return { ok: passes(checks), steps };
  };

  let failure: RunOutcome | undefined;
  let details: fc.RunDetails<[FuzzInput]> | undefined;
  let restoreFailure: RestoreFailed | undefined;
  /** Once a request fails, every request reads back at once: shrinking must judge each candidate alone. */
  let eager = false;
  /** Set when a run cannot go on (no answer, a batch to replay, a failed restore): the remaining runs send nothing. */
  let stop: Error | undefined;
  let shrinkCalls = 0;
  const check = async (numRuns: number, examples: [FuzzInput][] = []) => {
    stop = undefined;
    const result = await fc.check(
      fc.asyncProperty(family.arbitrary, async (input) => {
        // Past the budget, every candidate "passes" without a request: fast-check keeps the smallest failure so far.
        if (stop || ctx.signal?.aborted || (eager && ++shrinkCalls > SHRINK_BUDGET)) return true;
        try {
          const outcome = await runOne(input, eager);
          if (!outcome.ok) {
            failure = outcome;
            eager = true;
          }
          return outcome.ok;
        } catch (error) {
          stop = error as Error;
          return true;
        }
      }),
      { seed, numRuns, examples },
    );
    if (stop) throw stop;
    return result;
  };
  /** Replays a batch one request at a time, each read back: the first that fails is the one. */
  const culpritOf = async (suspects: readonly FuzzInput[]): Promise<FuzzInput> => {
    eager = true;
    for (const suspect of suspects) if (!(await runOne(suspect, true)).ok) return suspect;
    throw new Error("the account changed during a batch of requests, and none of them did it again alone");
  };
  let failing: FuzzInput | undefined;
  let attributed = false;
  try {
    try {
      details = await check(runs);
      if (details.failed && details.counterexample) failing = details.counterexample[0];
      else if (pending.length > 0) {
        // Requests still waiting for their read back are judged now.
        const read = await readBack();
        if (changedFields(contract, current, read.profile).length > 0) {
          const suspects = pending;
          await putBack();
          [failing, attributed] = [await culpritOf(suspects), true];
        }
      }
    } catch (error) {
      if (!(error instanceof Unattributed)) throw error;
      [failing, attributed] = [await culpritOf(error.suspects), true];
    }
    if (failing) {
      // Smaller still, by cheap steps; `failure` ends as the outcome of the last request that failed: the simplest.
      eager = true;
      // A smaller request counts only if it fails the same checks (an email alone fails "refused" for other reasons).
      let signature: string | undefined;
      const fails = async (input: FuzzInput) => {
        // Shrinking never drops what makes the request a probe of its rule.
        if (family.precondition && !family.precondition(input)) return false;
        const outcome = await runOne(input, true);
        const failed = outcome.steps.flatMap((st) => st.checks).filter((c) => !c.ok && effectOf(c, ctx) !== "note").map((c) => c.check).sort().join(",");
        if (outcome.ok || (signature !== undefined && failed !== signature)) return false;
        signature = failed;
        failure = outcome;
        return true;
      };
      failure = undefined;
      if (await fails(failing)) await simplify(failing, fails);
    }
  } catch (error) {
    if (error instanceof RestoreFailed) restoreFailure = error;
    else harnessError ??= (error as Error).message;
  } finally {
    if (!restoreFailure) {
      const restored = await restoreAccount({ contract, access }, family.account, snapshot);
      if (restored && !restored.ok) restoreFailure = new RestoreFailed(restored.message, restored.oldValues, restored.commands);
    }
  }

  const base = {
    id: family.id,
    title: family.title,
    tier: family.tier,
    source: family.source,
    tags: family.tags,
    file: "(generated from openapi.yaml)",
    durationMs: Math.round(performance.now() - started),
    fuzz: { runs: requests, seed, ...(details?.failed ? { path: details.counterexamplePath ?? "" } : {}) },
    ...(restoreFailure ? { restore: { ok: false, accounts: [{ account: family.account, email, ok: false, message: restoreFailure.message, oldValues: restoreFailure.oldValues, ...(restoreFailure.commands ? { commands: restoreFailure.commands } : {}) }] } } : {}),
  };
  if (harnessError || (failing && !failure)) {
    return { ...base, status: "error", reason: `the fuzzing stopped: ${harnessError ?? "a failure that did not happen again"}`, steps: failure?.steps ?? [] };
  }
  if (!failure) return { ...base, status: "passed", steps: [] };
  const failed = failure.steps.flatMap((st) => st.checks).filter((c) => !c.ok);
  const status = failed.some((c) => effectOf(c, ctx) === "fail") ? "failed" : failed.some((c) => effectOf(c, ctx) === "warn") ? "warned" : "passed";
  return {
    ...base,
    status,
    reason: attributed
      ? `the account changed during a batch of requests; replayed one by one, this one did it, made as small as it still fails (replay: --seed ${seed})`
      : `a counterexample after ${details?.numRuns ?? "?"} runs, shrunk to the smallest request that still fails, below (replay: --seed ${seed})`,
    steps: failure.steps,
  };
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
    out[field] = answered && Object.hasOwn(answered, field) ? answered[field] : field === "dob" && typeof value === "string" ? asDateTime(value) : value;
  }
  return out;
}

function pickFields(profile: Profile, fields: readonly string[]): Profile {
  return Object.fromEntries(fields.map((f) => [f, profile[f]]));
}
