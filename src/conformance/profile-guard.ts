/**
 * @module conformance/profile-guard
 * Safety on real deployments: every account a scenario names is read before it runs and, if it differs
 * afterwards, written back, on every path (failure, exception, timeout). A profile is read with an update that
 * sends only the email; it changes no profile field (a real service may still log it or bump updatedAt).
 * A restore rides out a 429 or a transient 5xx, writes the unlocked fields apart from the locked ones (so a
 * correct lock cannot refuse them all), checks by reading again, and when it still fails, says what the old
 * values were and gives a command that puts them back.
 */
import type { Contract } from "../contract/contract.js";
import { endpointUrl, toCurl, type Exchange, type RequestSpec } from "./exchange.js";
import type { Transport } from "./transport.js";
import { isEmpty, writeBackValue } from "./write-back.js";

export type Profile = Record<string, unknown>;

export interface ReadResult {
  exchange: Exchange;
  /** The user, when the target answered 200 with one. */
  profile?: Profile;
  /** The target refused to read it, in the envelope (a 4xx): it will not change it either. */
  refused?: string;
}

export function updateRequest(apiKey: string, data: Record<string, unknown>): RequestSpec {
  return { method: "POST", apiKey, apiKeyIsSecret: true, contentType: "application/json", body: JSON.stringify({ action: "UPDATE_PROFILE", data }) };
}

export async function readProfile(transport: Transport, apiKey: string, email: string): Promise<ReadResult> {
  const ex = await transport.send(updateRequest(apiKey, { email }), "transient");
  const response = ex.response;
  const body = response?.json as { message?: unknown; data?: { user?: unknown } } | undefined;
  const user = body?.data?.user;
  if (response?.status === 200 && user !== null && typeof user === "object") return { exchange: ex, profile: user as Profile };
  if (response && response.status >= 400 && response.status < 500 && response.status !== 429 && typeof body?.message === "string") {
    return { exchange: ex, refused: `${response.status} ${body.message}` };
  }
  return { exchange: ex };
}

/** How an answer reads in one line, for messages. */
export function describeAnswer(ex: Exchange): string {
  if (!ex.response) return ex.transportError ?? "no answer";
  const message = (ex.response.json as { message?: unknown } | undefined)?.message;
  if (typeof message === "string") return `${ex.response.status} "${message}"`;
  const type = ex.response.headers["content-type"] ?? "no Content-Type";
  return `${ex.response.status} ${type} ${JSON.stringify(ex.response.text.slice(0, 80))}`;
}

/** The contract's profile fields that differ between two reads; extra fields a service adds (updatedAt) are not compared. */
export function changedFields(contract: Contract, before: Profile, after: Profile): string[] {
  const value = (profile: Profile, field: string) => {
    const v = profile[field] ?? null;
    return field === "dob" && typeof v === "string" ? v.slice(0, 10) : v;
  };
  return contract.profileFields.filter((field) => JSON.stringify(value(before, field)) !== JSON.stringify(value(after, field)));
}

export interface AccountRestore {
  account: string;
  email: string;
  ok: boolean;
  /** What was done, or what is wrong, in one sentence. */
  message: string;
  /** The fields that differed from the snapshot (or may have), and their values before the scenario. */
  oldValues: Record<string, unknown>;
  /** When ok is false: commands that put the old values back (the unlocked fields, then the locked ones). */
  commands?: string[];
  exchanges: Exchange[];
}

export interface RestoreContext {
  contract: Contract;
  transport: Transport;
  apiKey: string;
  /** How long a read may lag behind an acknowledged write before the suite stops waiting for it (3 s by default). */
  patienceMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface RestoreOptions {
  /** A request to the account timed out, so its write may land late: wait this long before reading it again. */
  settleMs?: number;
  /** Values the target answered 200 with for fields it was sent: a read that does not show them lags, or the write is late. */
  acknowledged?: Record<string, unknown>;
}

/**
 * Reads the account again and writes back what changed: the unlocked fields, then the locked ones, then any field
 * still different on its own (so one refused value cannot block the others). A read is trusted only once it shows
 * what the target acknowledged; a restore is confirmed by reading again. When in doubt (a late write, a lagging
 * read, a timed-out request), it says so, with the old values and the commands that put them back.
 */
export async function restoreAccount(ctx: RestoreContext, account: string, email: string, snapshot: Profile, options: RestoreOptions = {}): Promise<AccountRestore | undefined> {
  const { contract, transport, apiKey } = ctx;
  const sleep = ctx.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const patience = ctx.patienceMs ?? 3000;
  const exchanges: Exchange[] = [];
  const settle = options.settleMs ?? 0;
  if (settle > 0) await sleep(settle);
  const read = async () => {
    const r = await readProfile(transport, apiKey, email);
    exchanges.push(r.exchange);
    return r;
  };

  let current = await read();
  if (!current.profile) {
    return failure(`could not read ${email} after the scenario (${describeAnswer(current.exchange)}), so it may still be changed`, contract.profileFields);
  }
  // Acknowledged but not shown: a write-behind queue or a lagging replica. Wait for the read to catch up.
  const acknowledged = Object.entries(options.acknowledged ?? {}).filter(([f, v]) => changedFields(contract, { [f]: snapshot[f] }, { [f]: v }).length > 0);
  const unseen = (profile: Profile) => acknowledged.filter(([f, v]) => changedFields(contract, { [f]: v }, profile).includes(f)).map(([f]) => f);
  if (unseen(current.profile).length > 0) {
    current = await pollUntil(read, (r) => r.profile !== undefined && unseen(r.profile).length === 0, patience, sleep);
    if (!current.profile || unseen(current.profile).length > 0) {
      return failure(
        `the target answered that it changed ${unseen(current.profile ?? {}).join(", ")} of ${email}, but reads still show the old value after ${patience} ms: the write may land later, or reads lag. Check it by hand later`,
        acknowledged.map(([f]) => f),
      );
    }
  }
  const changed = changedFields(contract, snapshot, current.profile!);
  if (changed.length === 0) {
    if (settle === 0) return undefined;
    return failure(`a request to ${email} timed out; ${settle} ms later it is unchanged, but the write may still land. Check it by hand later`, contract.profileFields);
  }
  const oldValues = Object.fromEntries(changed.map((f) => [f, snapshot[f] ?? null]));

  let left = changed;
  let lastWrite: Exchange | undefined;
  const write = async (fields: readonly string[]) => {
    const data = writeBackData(contract, snapshot, fields);
    if (Object.keys(data).length === 0) return;
    lastWrite = await transport.send(updateRequest(apiKey, { email, ...data }), "transient");
    exchanges.push(lastWrite);
  };
  const verify = async () => {
    current = await read();
    left = current.profile ? changedFields(contract, snapshot, current.profile) : left;
    if (left.length > 0 && current.profile && lastWrite?.response?.status === 200) {
      // The restore was acknowledged: give a lagging read the same patience.
      current = await pollUntil(read, (r) => r.profile !== undefined && changedFields(contract, snapshot, r.profile).length === 0, patience, sleep);
      left = current.profile ? changedFields(contract, snapshot, current.profile) : left;
    }
  };
  // Unlocked fields together, locked ones apart: a lock that (rightly) refuses a locked field must not block the rest.
  await write(left.filter((f) => !contract.lockedFields.includes(f)));
  await write(left.filter((f) => contract.lockedFields.includes(f)));
  await verify();
  if (left.length > 0) {
    // One field the target refuses must not keep the others changed: each on its own.
    for (const field of left) await write([field]);
    await verify();
  }
  if (left.length === 0) return { account, email, ok: true, message: `restored ${changed.join(", ")} of ${email}`, oldValues, exchanges };

  const cannot = left.filter((f) => !Object.hasOwn(writeBackData(contract, snapshot, [f]), f));
  const why = cannot.length > 0 ? `; ${cannot.join(", ")} had a value this endpoint cannot take back (empty, or refused by its rules)` : "";
  const answer = lastWrite ? `; the target answered ${describeAnswer(lastWrite)}` : "";
  return failure(`could not restore ${left.join(", ")} of ${email}${why}${answer}`, left, true);

  /** `refusedByLock`: the target refused to write these back, and a lock may be why. */
  function failure(message: string, fields: readonly string[], refusedByLock = false): AccountRestore {
    return { ...restoreFailure(contract, transport.options.baseUrl, account, email, snapshot, fields, message, refusedByLock), exchanges };
  }
}

/** A restore that did not (or may not have) worked: the old values, and the commands that put them back. */
export function restoreFailure(contract: Contract, baseUrl: string, account: string, email: string, snapshot: Profile, fields: readonly string[], message: string, refusedByLock = false): AccountRestore {
  const values = Object.fromEntries(fields.map((f) => [f, snapshot[f] ?? null]));
  const locked = fields.filter((f) => contract.lockedFields.includes(f));
  const groups = [fields.filter((f) => !locked.includes(f)), locked].map((group) => writeBackData(contract, snapshot, group)).filter((data) => Object.keys(data).length > 0);
  const commands = groups.map((data) =>
    toCurl({
      method: "POST",
      url: endpointUrl(baseUrl),
      headers: { "cv-api-key": "$CV_API_KEY", "content-type": "application/json" },
      body: JSON.stringify({ action: "UPDATE_PROFILE", data: { email, ...data } }),
    }),
  );
  const lockNote = refusedByLock && locked.length > 0 ? ` (${locked.join(", ")} of a user with a locking case can only be put back by the vendor's support team, as the page says)` : "";
  return { account, email, ok: false, message: `${message}${lockNote}`, oldValues: values, ...(commands.length > 0 ? { commands } : {}), exchanges: [] };
}

/** Reads again every 250 ms until `done`, or `patience` ms have passed; the last read. */
export async function pollUntil<T>(read: () => Promise<T>, done: (r: T) => boolean, patience: number, sleep: (ms: number) => Promise<void>): Promise<T> {
  const until = Date.now() + patience;
  let last = await read();
  while (!done(last) && Date.now() < until) {
    await sleep(Math.min(250, Math.max(0, until - Date.now())));
    last = await read();
  }
  return last;
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
