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

/** Empty on the target: null, absent or "". */
export const isEmpty = (value: unknown): boolean => value === null || value === undefined || value === "";

export interface AccountRestore {
  account: string;
  email: string;
  ok: boolean;
  /** What was done, or what is wrong, in one sentence. */
  message: string;
  /** The fields that differed from the snapshot, and their values before the scenario. */
  oldValues: Record<string, unknown>;
  /** When ok is false: a command that puts the old values back. */
  command?: string;
  exchanges: Exchange[];
}

export interface RestoreContext {
  contract: Contract;
  transport: Transport;
  apiKey: string;
  sleep?: (ms: number) => Promise<void>;
}

const RESTORE_ROUNDS = 2;

/**
 * Reads the account again and writes back what changed. `settleMs`: a request to it timed out, so its write may
 * still land: wait this long first.
 */
export async function restoreAccount(ctx: RestoreContext, account: string, email: string, snapshot: Profile, settleMs = 0): Promise<AccountRestore | undefined> {
  const { contract, transport, apiKey } = ctx;
  const exchanges: Exchange[] = [];
  const waited = settleMs > 0 ? ` (a request timed out: waited ${settleMs} ms for it to land, then read it again)` : "";
  if (settleMs > 0) await (ctx.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))))(settleMs);

  let current = await readProfile(transport, apiKey, email);
  exchanges.push(current.exchange);
  if (!current.profile) {
    const all = Object.fromEntries(contract.profileFields.map((f) => [f, snapshot[f] ?? null]));
    return failure(`could not read ${email} after the scenario (${describeAnswer(current.exchange)}), so it may still be changed`, all);
  }
  const changed = changedFields(contract, snapshot, current.profile);
  if (changed.length === 0) return settleMs > 0 ? { account, email, ok: true, message: `${email} unchanged${waited}`, oldValues: {}, exchanges } : undefined;
  const oldValues = Object.fromEntries(changed.map((f) => [f, snapshot[f] ?? null]));

  const { data, impossible } = restoreData(contract, snapshot, changed);
  let left = changed;
  let lastWrite: Exchange | undefined;
  for (let round = 0; round < RESTORE_ROUNDS && left.length > 0; round++) {
    // Unlocked fields first and alone: a lock that (rightly) refuses a locked field must not block them.
    for (const group of [left.filter((f) => !contract.lockedFields.includes(f)), left.filter((f) => contract.lockedFields.includes(f))]) {
      const fields = group.filter((f) => Object.hasOwn(data, f));
      if (fields.length === 0) continue;
      lastWrite = await transport.send(updateRequest(apiKey, { email, ...pick(data, fields) }), "transient");
      exchanges.push(lastWrite);
    }
    current = await readProfile(transport, apiKey, email);
    exchanges.push(current.exchange);
    left = current.profile ? changedFields(contract, snapshot, current.profile) : left;
  }
  if (left.length === 0) return { account, email, ok: true, message: `restored ${changed.join(", ")} of ${email}${waited}`, oldValues, exchanges };

  const why = impossible.length > 0 ? `; ${impossible.join(", ")} cannot be set back to empty through this endpoint` : "";
  const answer = lastWrite ? `; the target answered ${describeAnswer(lastWrite)}` : "";
  return failure(`could not restore ${left.join(", ")} of ${email}${why}${answer}${waited}`, Object.fromEntries(left.map((f) => [f, snapshot[f] ?? null])));

  function failure(message: string, values: Record<string, unknown>): AccountRestore {
    const writable = restoreData(contract, snapshot, Object.keys(values)).data;
    const command = toCurl({
      method: "POST",
      url: endpointUrl(transport.options.baseUrl),
      headers: { "cv-api-key": "$CV_API_KEY", "content-type": "application/json" },
      body: JSON.stringify({ action: "UPDATE_PROFILE", data: { email, ...writable } }),
    });
    return { account, email, ok: false, message, oldValues: values, command, exchanges };
  }
}

/** The snapshot's values of these fields, as an update sends them; an empty field only nullable ones can take. */
function restoreData(contract: Contract, snapshot: Profile, fields: readonly string[]): { data: Record<string, unknown>; impossible: string[] } {
  const data: Record<string, unknown> = {};
  const impossible: string[] = [];
  for (const field of fields) {
    const value = snapshot[field];
    if (isEmpty(value)) {
      if (contract.nullableProfileFields.includes(field)) data[field] = null;
      else impossible.push(field);
    } else {
      data[field] = field === "dob" && typeof value === "string" ? value.slice(0, 10) : value;
    }
  }
  return { data, impossible };
}

function pick(record: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f, record[f]]));
}
