/**
 * @module conformance/restore-account
 * Safety on real deployments: an account a scenario changed is written back as it was, on every path (failure,
 * exception, timeout). A restore writes the fields that differ; if the account is still off (or off elsewhere now: a
 * target that clears the fields an update does not send), one request with every original value; where that is
 * refused (the lock rightly refuses the locked fields of a locked user, a value the target no longer takes), the
 * unlocked fields go apart from the locked ones, then each field on its own, so one refused value cannot keep the
 * others changed.
 * It rides out a 429 or a transient 5xx, checks by reading again, and when it still fails, says what the old values
 * were and gives one command that puts every one of them back.
 */
import type { Contract } from "../contract/contract.js";
import { claimPatience, keyOf, type Access } from "./access.js";
import { dayOf, sameStored } from "./checks/normal-form.js";
import { endpointUrl, toCurl, type Exchange } from "./exchange.js";
import { describeAnswer, readAccount, updateRequest, type Profile, type ReadResult } from "./read-profile.js";
import { asDateTime } from "./new-values.js";
import { isEmpty, writeBackValue } from "./write-back.js";

export interface AccountRestore {
  account: string;
  email: string;
  ok: boolean;
  /** What was done, or what is wrong, in one sentence. */
  message: string;
  /** The fields that differed from the snapshot (or may have), and their values before the scenario. */
  oldValues: Record<string, unknown>;
  /** When ok is false: the command that puts every old value back. */
  commands?: string[];
  exchanges: Exchange[];
}

export interface RestoreContext {
  contract: Contract;
  access: Access;
  /** How long a read may lag behind an acknowledged write before the suite stops waiting for it (3 s by default). */
  patienceMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface RestoreOptions {
  /** A request to the account timed out, so its write may land late: wait this long before reading it again. */
  settleMs?: number;
  /** Values the target answered 200 with for fields it was sent: a read that does not show them lags, or the write is late. */
  acknowledged?: Record<string, unknown>;
  /** Values a 2xx was sent but did not show: waited for (the write may land late), never taken as lost if they do not. */
  claimed?: Record<string, unknown>;
}

/** The contract's profile fields that differ between two reads; extra fields a service adds (updatedAt) are not compared. */
export function changedFields(contract: Contract, before: Profile, after: Profile): string[] {
  return contract.profileFields.filter((field) => !sameStored(field, before[field], after[field]));
}

/**
 * Reads the account again and writes back what changed. A read is trusted only once it shows what the target
 * acknowledged; a restore is confirmed by reading again. When in doubt (a late write, a lagging read, a timed-out
 * request), it says so, with the old values and the command that puts them back.
 */
export async function restoreAccount(
  ctx: RestoreContext,
  account: string,
  snapshot: Profile,
  options: RestoreOptions = {},
): Promise<AccountRestore | undefined> {
  const { contract, access } = ctx;
  const email = access.target.accounts[account]!.email;
  const key = keyOf(access, account);
  const sleep = ctx.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const patience = ctx.patienceMs ?? 3000;
  const exchanges: Exchange[] = [];
  const settle = options.settleMs ?? 0;
  if (settle > 0) await sleep(settle);
  const read = async () => {
    const r = await readAccount(access, account);
    exchanges.push(...r.exchanges);
    return r;
  };
  const failure = (message: string, fields: readonly string[], refusedByLock = false): AccountRestore => ({
    ...restoreFailure(contract, access, account, snapshot, fields, message, refusedByLock),
    exchanges,
  });

  let current: ReadResult = await read();
  if (!current.profile || !key) {
    return failure(
      `could not read ${email} after the scenario (${current.refused ?? describeAnswer(current.exchange)}), so it may still be changed`,
      contract.profileFields,
    );
  }
  // Acknowledged but not shown: a write-behind queue or a lagging replica. Wait for the read to catch up.
  const acknowledged = Object.entries(options.acknowledged ?? {}).filter(([f, v]) => !sameStored(f, snapshot[f], v));
  const unseen = (profile: Profile) => acknowledged.filter(([f, v]) => !sameStored(f, v, profile[f])).map(([f]) => f);
  if (unseen(current.profile).length > 0) {
    current = await pollUntil(read, (r) => r.profile !== undefined && unseen(r.profile).length === 0, patience, sleep);
    if (!current.profile || unseen(current.profile).length > 0) {
      return failure(
        `the target answered that it changed ${unseen(current.profile ?? {}).join(", ")} of ${email}, but reads still show the old value after ${patience} ms: the write may land later, or reads lag. Check it by hand later`,
        acknowledged.map(([f]) => f),
      );
    }
  }
  const claimed = Object.entries(options.claimed ?? {}).filter(([f, v]) => !sameStored(f, snapshot[f], v));
  if (claimed.length > 0 && claimed.some(([f, v]) => !sameStored(f, v, current.profile![f]))) {
    const shows = (r: ReadResult) => r.profile !== undefined && claimed.every(([f, v]) => sameStored(f, v, r.profile![f]));
    current = await pollUntil(read, shows, claimPatience(access, patience), sleep);
    if (current.profile && !shows(current)) access.claimsSeenLost = true;
    if (!current.profile)
      return failure(
        `could not read ${email} after the scenario (${current.refused ?? describeAnswer(current.exchange)}), so it may still be changed`,
        contract.profileFields,
      );
  }
  const changed = changedFields(contract, snapshot, current.profile!);
  if (changed.length === 0) {
    if (settle === 0) return undefined;
    return failure(
      `a request to ${email} timed out; ${settle} ms later it is unchanged, but the write may still land. Check it by hand later`,
      contract.profileFields,
    );
  }
  const oldValues = Object.fromEntries(changed.map((f) => [f, snapshot[f] ?? null]));

  let left = changed;
  let lastWrite: Exchange | undefined;
  /** The last write the target did not take: what a failed restore reports. */
  let lastRefused: Exchange | undefined;
  /** Each request at most once: a fallback that comes to what was sent already would only be refused again. */
  const written = new Set<string>();
  const write = async (data: Record<string, unknown>) => {
    const text = JSON.stringify(data);
    if (Object.keys(data).length === 0 || written.has(text)) return;
    written.add(text);
    lastWrite = await access.transport.send(updateRequest(key, { email, ...data }), "transient");
    exchanges.push(lastWrite);
    if (!lastWrite.response || lastWrite.response.status >= 300) lastRefused = lastWrite;
  };
  const verify = async () => {
    current = await read();
    left = current.profile ? changedFields(contract, snapshot, current.profile) : left;
    const acknowledgedWrite = lastWrite?.response !== undefined && lastWrite.response.status >= 200 && lastWrite.response.status < 300;
    // Acknowledged, or sent to a target seen to lag (it may apply what it refuses, later): the same patience.
    if (left.length > 0 && current.profile && (acknowledgedWrite || access.observedLagMs > 0)) {
      // The restore was acknowledged: give a lagging read the same patience.
      current = await pollUntil(read, (r) => r.profile !== undefined && changedFields(contract, snapshot, r.profile).length === 0, patience, sleep);
      left = current.profile ? changedFields(contract, snapshot, current.profile) : left;
    }
  };
  // What differs, first: the least a restore can write.
  await write(writeBackData(contract, snapshot, changed));
  await verify();
  if (left.length > 0) {
    // Still off, or off elsewhere now (a target that clears what an update does not send): every original value at once.
    await write(restoreData(contract, snapshot, left));
    await verify();
  }
  if (left.length > 0) {
    // Refused whole: the locked fields apart from the others, then each field on its own.
    await write(
      writeBackData(
        contract,
        snapshot,
        left.filter((f) => !contract.lockedFields.includes(f)),
      ),
    );
    await write(
      writeBackData(
        contract,
        snapshot,
        left.filter((f) => contract.lockedFields.includes(f)),
      ),
    );
    await verify();
  }
  if (left.length > 0) {
    for (const field of left) await write(writeBackData(contract, snapshot, [field]));
    await verify();
  }
  const emptied = left.filter((f) => isEmpty(snapshot[f]));
  if (emptied.length > 0) {
    // Empty before, and something now (a target that stored "null" for null): "" is the last way to empty it.
    for (const field of emptied) await write({ [field]: "" });
    await verify();
  }
  const day = left.includes("dob") ? writeBackValue(contract, "dob", snapshot.dob) : undefined;
  if (typeof day === "string") {
    // The form the API answers a dob in: a target that took a dob written so takes it back written so.
    await write({ dob: asDateTime(day) });
    await verify();
    // A target that stores every date a day off (a time zone in its date handling) takes back the day beside it.
    const seen = dayOf(current.profile?.dob) ?? (typeof current.profile?.dob === "string" ? current.profile.dob.slice(0, 10) : undefined);
    for (const shift of [1, -1]) {
      if (!left.includes("dob") || seen !== shiftDay(day, -shift)) continue;
      await write({ dob: shiftDay(day, shift) });
      await verify();
    }
  }
  if (left.length === 0) return { account, email, ok: true, message: `restored ${changed.join(", ")} of ${email}`, oldValues, exchanges };

  const cannot = left.filter((f) => !Object.hasOwn(writeBackData(contract, snapshot, [f]), f));
  const why = cannot.length > 0 ? `; ${cannot.join(", ")} had a value this endpoint cannot take back (empty, or refused by its rules)` : "";
  const reported = lastRefused ?? lastWrite;
  const answer = reported ? `; the target answered ${describeAnswer(reported)}` : "";
  return failure(`could not restore ${left.join(", ")} of ${email}${why}${answer}`, left, true);
}

/** A restore that did not (or may not have) worked: the old values, and the one command that puts them all back. */
export function restoreFailure(
  contract: Contract,
  access: Access,
  account: string,
  snapshot: Profile,
  fields: readonly string[],
  message: string,
  refusedByLock = false,
): AccountRestore {
  const email = access.target.accounts[account]!.email;
  const values = Object.fromEntries(fields.map((f) => [f, snapshot[f] ?? null]));
  const data = restoreData(contract, snapshot, fields);
  const reference = keyOf(access, account)?.reference ?? access.key.reference;
  // Every original value, not only those that differ: on a target that clears what an update does not send, a
  // command naming a few fields would clear the rest.
  const command = toCurl({
    method: "POST",
    url: endpointUrl(access.transport.options.baseUrl),
    headers: { "cv-api-key": reference, "content-type": "application/json" },
    body: JSON.stringify({ action: "UPDATE_PROFILE", data: { email, ...data } }),
  });
  const locked = fields.filter((f) => contract.lockedFields.includes(f));
  const lockNote =
    refusedByLock && locked.length > 0
      ? ` (${locked.join(", ")} of a user with a locking case can only be put back by the vendor's support team, as the page says: if the lock refuses the command, send it without them)`
      : "";
  return {
    account,
    email,
    ok: false,
    message: `${message}${lockNote}`,
    oldValues: values,
    ...(Object.keys(data).length > 0 ? { commands: [command] } : {}),
    exchanges: [],
  };
}

/** The calendar day `days` after (or before) a YYYY-MM-DD day. */
function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Reads again until `done`, or `patience` ms have passed; the last read. The waits grow from 20 ms to 250 ms: a
 * replica a few tens of ms behind is caught up with at once, and its lag measured near what it is.
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (r: T) => boolean,
  patience: number,
  sleep: (ms: number) => Promise<void>,
): Promise<T> {
  const until = Date.now() + patience;
  let last = await read();
  for (let wait = 20; !done(last) && Date.now() < until; wait = Math.min(250, wait * 2)) {
    await sleep(Math.min(wait, Math.max(0, until - Date.now())));
    last = await read();
  }
  return last;
}

/** One request with every original value this endpoint can take back, and null for a cleared field the contract lets one clear. */
function restoreData(contract: Contract, snapshot: Profile, changed: readonly string[]): Record<string, unknown> {
  const everyValue = contract.profileFields.filter((f) => !isEmpty(snapshot[f]) || changed.includes(f));
  return writeBackData(contract, snapshot, everyValue);
}

/** The snapshot's values of these fields, as an update sends them back; a field with none that can be sent is left out. */
function writeBackData(contract: Contract, snapshot: Profile, fields: readonly string[]): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const field of fields) {
    const value = writeBackValue(contract, field, snapshot[field]);
    if (value !== undefined) data[field] = value;
    // Emptied by the target, and the contract lets it be emptied: null is the one way back (inferred).
    else if (isEmpty(snapshot[field]) && contract.nullableProfileFields.includes(field)) data[field] = null;
  }
  return data;
}
