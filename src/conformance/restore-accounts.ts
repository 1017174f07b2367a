/**
 * @module conformance/restore-accounts
 * After a scenario: every account it snapshotted is read again and written back if it changed. An account the
 * scenario sent nothing to must not have changed at all (an update of one user reached another): that is a failure,
 * and it is read before any restore, since restoring the others could undo the stray write unseen. Then all are
 * checked once more, so restores that undo each other (an update that reaches several users) are caught.
 */
import { fail, type CheckResult } from "./checks/check-result.js";
import type { Exchange } from "./exchange.js";
import { changedFields, readProfile, restoreAccount, restoreFailure, type AccountRestore, type Profile, type RestoreContext } from "./profile-guard.js";
import type { Target } from "./target.js";

export interface ScenarioWrites {
  /** The profiles read before the scenario, by account name. */
  snapshots: Readonly<Record<string, Profile>>;
  /** Accounts the key was refused to read, and the refusal. */
  unreadable: ReadonlyMap<string, string>;
  /** Accounts the scenario sent a request to. */
  addressed: ReadonlySet<string>;
  /** Accounts that answered 200 to an update with profile fields. */
  appliedTo: ReadonlySet<string>;
  /** What the target answered 200 with, per account, for the fields it was sent. */
  acknowledged: Readonly<Record<string, Record<string, unknown>>>;
  /** A request timed out: wait this long before reading an addressed account again. */
  settleMs: number;
}

export async function restoreAccounts(
  ctx: RestoreContext & { target: Target },
  writes: ScenarioWrites,
  record: (exchange: Exchange, checks: CheckResult[]) => void,
): Promise<AccountRestore[]> {
  const { contract, transport, apiKey, target } = ctx;
  const { snapshots, addressed } = writes;
  const email = (name: string) => target.accounts[name]!.email;
  const out: AccountRestore[] = [];

  for (const [name, snapshot] of Object.entries(snapshots)) {
    if (addressed.has(name)) continue;
    const read = await readProfile(transport, apiKey, email(name));
    const changed = read.profile ? changedFields(contract, snapshot, read.profile) : [];
    record(read.exchange, changed.length > 0 ? [bystanderChanged(name, email(name), changed)] : []);
  }

  // The accounts written to first, then the others.
  const order = Object.keys(snapshots).sort((a, b) => Number(addressed.has(b)) - Number(addressed.has(a)));
  for (const name of order) {
    const options = {
      ...(writes.settleMs > 0 && addressed.has(name) ? { settleMs: writes.settleMs } : {}),
      ...(writes.acknowledged[name] ? { acknowledged: writes.acknowledged[name] } : {}),
    };
    const restored = await restoreAccount(ctx, name, email(name), snapshots[name]!, options);
    if (!restored) continue;
    for (const ex of restored.exchanges) record(ex, []);
    out.push(restored);
  }

  if (out.some((r) => r.ok)) {
    for (const name of order) {
      const again = await restoreAccount(ctx, name, email(name), snapshots[name]!);
      if (!again) continue;
      for (const ex of again.exchanges) record(ex, []);
      const failed = restoreFailure(contract, transport.options.baseUrl, name, email(name), snapshots[name]!, Object.keys(again.oldValues), undoneAgain(email(name)));
      const earlier = out.findIndex((r) => r.account === name);
      if (earlier >= 0) out[earlier] = failed;
      else out.push(failed);
    }
  }

  for (const name of writes.appliedTo) {
    if (snapshots[name]) continue;
    const refusal = writes.unreadable.get(name) ?? "?";
    out.push({ account: name, email: email(name), ok: false, message: `${email(name)} took an update (200) although the key could not read it before (${refusal}): check it by hand`, oldValues: {}, exchanges: [] });
  }
  return out;
}

function bystanderChanged(name: string, email: string, changed: readonly string[]): CheckResult {
  return fail("other_accounts_unchanged", "documented", `accounts.${name} (${email}) changed: ${changed.join(", ")}`, "an update changes the user it names, no other");
}

const undoneAgain = (email: string) =>
  `${email} changed again while another account was restored (an update reaches more than one user): the restores undo each other; put it back by hand`;
