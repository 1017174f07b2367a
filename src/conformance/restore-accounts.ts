/**
 * @module conformance/restore-accounts
 * After a scenario: every account it snapshotted is read again and written back if it changed. An account the
 * scenario sent nothing to must not have changed at all (an update of one user reached another): that is a failure,
 * and it is read before any restore, since restoring the others could undo the stray write unseen. Then all are
 * checked once more, so restores that undo each other (an update that reaches several users) are caught.
 */
import type { CheckResult } from "./checks/check-result.js";
import { runChecks } from "./checks/registry.js";
import type { Exchange } from "./exchange.js";
import { readAccount, type Profile } from "./read-profile.js";
import { restoreAccount, restoreFailure, type AccountRestore, type RestoreContext } from "./restore-account.js";

export interface ScenarioWrites {
  /** The profiles read before the scenario, by account name. */
  snapshots: Readonly<Record<string, Profile>>;
  /** Accounts the run could not read, and why. */
  unreadable: ReadonlyMap<string, string>;
  /** Accounts the scenario sent a request to. */
  addressed: ReadonlySet<string>;
  /** Accounts that answered 200 to an update with profile fields. */
  appliedTo: ReadonlySet<string>;
  /** Accounts sent profile fields in a request the target refused: read once more, they must show no change. */
  refusedWrites?: ReadonlySet<string>;
  /** The scenario's tier and sentence, which judge a change found late. */
  scenario?: { tier: "documented" | "inferred"; source: string };
  /** What the target answered 200 with, per account, for the fields it was sent. */
  acknowledged: Readonly<Record<string, Record<string, unknown>>>;
  /** Values a 2xx was sent but did not show, per account: waited for before a restore, never counted as lost. */
  claimed?: Readonly<Record<string, Record<string, unknown>>>;
  /** A request timed out: wait this long before reading an addressed account again. */
  settleMs: number;
  /** On a target seen to lag, what is left of its lag since the scenario's last request (a refused write may still land). */
  lagLeftMs?: number;
}

export async function restoreAccounts(
  ctx: RestoreContext,
  writes: ScenarioWrites,
  record: (exchange: Exchange, checks: CheckResult[]) => void,
): Promise<AccountRestore[]> {
  const { contract, access } = ctx;
  const { snapshots, addressed } = writes;
  const email = (name: string) => access.target.accounts[name]!.email;
  const out: AccountRestore[] = [];
  // On a target seen to lag, a write it refused may still land: give it that long before anything is read back.
  if ((writes.lagLeftMs ?? 0) > 0) await (ctx.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))))(writes.lagLeftMs!);

  for (const [name, snapshot] of Object.entries(snapshots)) {
    if (addressed.has(name)) continue;
    const read = await readAccount(access, name);
    const checks = runChecks({
      contract,
      kind: "bystander",
      scenario: { tier: "documented", source: "" },
      expect: {},
      snapshot,
      ...(read.profile ? { profile: read.profile } : {}),
      account: { name, email: email(name) },
    });
    read.exchanges.forEach((ex, i) => record(ex, i === read.exchanges.length - 1 ? checks.filter((c) => !c.ok) : []));
  }

  // A refused write must change nothing, even where a read right after it came too soon to show it (a lagging replica):
  // read once more, now that the lag has had time, and judge it as the scenario's "nothing changed".
  for (const name of writes.refusedWrites ?? []) {
    const snapshot = snapshots[name];
    if (!snapshot || writes.appliedTo.has(name) || writes.settleMs > 0) continue;
    const read = await readAccount(access, name);
    if (!read.profile) continue;
    const checks = runChecks({
      contract,
      kind: "read",
      scenario: writes.scenario ?? { tier: "documented", source: "" },
      expect: { unchanged: true },
      snapshot,
      profile: read.profile,
    });
    read.exchanges.forEach((ex, i) => record(ex, i === read.exchanges.length - 1 ? checks.filter((c) => !c.ok) : []));
  }

  // The accounts written to first, then the others.
  const order = Object.keys(snapshots).sort((a, b) => Number(addressed.has(b)) - Number(addressed.has(a)));
  for (const name of order) {
    const options = {
      ...(writes.settleMs > 0 && addressed.has(name) ? { settleMs: writes.settleMs } : {}),
      ...(writes.acknowledged[name] ? { acknowledged: writes.acknowledged[name] } : {}),
      ...(writes.claimed?.[name] ? { claimed: writes.claimed[name] } : {}),
    };
    const restored = await restoreAccount(ctx, name, snapshots[name]!, options);
    if (!restored) continue;
    for (const ex of restored.exchanges) record(ex, []);
    out.push(restored);
  }

  if (out.some((r) => r.ok)) {
    for (const name of order) {
      const again = await restoreAccount(ctx, name, snapshots[name]!);
      if (!again) continue;
      for (const ex of again.exchanges) record(ex, []);
      const failed = restoreFailure(contract, access, name, snapshots[name]!, Object.keys(again.oldValues), undoneAgain(email(name)));
      const earlier = out.findIndex((r) => r.account === name);
      if (earlier >= 0) out[earlier] = failed;
      else out.push(failed);
    }
  }

  for (const name of writes.appliedTo) {
    if (snapshots[name]) continue;
    const refusal = writes.unreadable.get(name) ?? "?";
    out.push({
      account: name,
      email: email(name),
      ok: false,
      message: `${email(name)} took an update (200) although the run could not read it before (${refusal}): check it by hand`,
      oldValues: {},
      exchanges: [],
    });
  }
  return out;
}

const undoneAgain = (email: string) =>
  `${email} changed again while another account was restored (an update reaches more than one user): the restores undo each other; put it back by hand`;
