/**
 * @module conformance/fuzz/run-fuzz
 * Property-based requests against any target, with the vendor's rules as the oracle (fast-check drives the
 * generation and shrinks a failure to a minimal body). Each request is sent, the account is read back, and the
 * oracle of its family judges both. The account is put back whenever it differs from what the oracle expects, and
 * always at the end, under the suite's safety rules. One seed replays a whole run exactly.
 */
import type { Contract } from "../../contract/contract.js";
import type { Access } from "../access.js";
import { isDestructive } from "../checks/registry.js";
import type { GatingOptions } from "../gating.js";
import { readAccount, type Profile } from "../read-profile.js";
import type { ScenarioResult } from "../results.js";
import { fuzzFamilies } from "./families.js";
import { runFamily } from "./run-family.js";

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
  const families = fuzzFamilies({
    contract,
    snapshots,
    emails,
    ...(target.freePhoneNumber ? { freePhoneNumber: target.freePhoneNumber } : {}),
  }).filter(
    // --read-only: nothing a target that follows the page may apply (valid updates, and values only the kit refuses).
    (f) => (options.select?.(f) ?? true) && !(options.readOnly && (f.kind === "valid" || f.tier === "inferred")),
  );
  const shares = share(
    options.runs,
    families.map((f) => f.weight),
  );
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
