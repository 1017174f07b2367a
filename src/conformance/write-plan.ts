/**
 * @module conformance/write-plan
 * Nothing the suite cannot undo: each write is planned against the snapshot of the account it goes to. This
 * endpoint can set a field but never clear it again (only nullable fields take null), so a field that is empty on
 * the target is never sent to it: a lenient target could store it for good. An update loses that field (the
 * scenario says which fields it left out), a request left with no field is dropped, and a scenario left with no
 * request at all is skipped.
 */
import type { Contract } from "../contract/contract.js";
import { isEmpty, type Profile } from "./profile-guard.js";
import type { SendStep, Step } from "./scenario.js";

/** A step as it will run, and its place in the scenario (a dropped request leaves a gap). */
export interface PlannedStep {
  index: number;
  step: Step;
}

export interface WritePlan {
  steps: PlannedStep[];
  /** Fields left out of updates, by account. */
  leftOut: { account: string; fields: string[] }[];
  /** Set when the scenario cannot run without a write that could not be undone. */
  unsafe?: string;
}

/**
 * @param steps the scenario's steps, placeholders resolved
 * @param accountOf the account name an email belongs to, if it is one of the target file's
 * @param snapshots the profiles read before the scenario (accounts the key may not read are absent)
 */
export function planWrites(contract: Contract, steps: readonly Step[], accountOf: (email: string) => string | undefined, snapshots: Readonly<Record<string, Profile>>): WritePlan {
  const leftOut = new Map<string, Set<string>>();
  const unwritable = (account: string, field: string) =>
    contract.profileFields.includes(field) && !contract.nullableProfileFields.includes(field) && isEmpty(snapshots[account]?.[field]);
  const planned: PlannedStep[] = [];

  for (const [index, step] of steps.entries()) {
    if (!("send" in step)) {
      planned.push({ index, step });
      continue;
    }
    const account = targetAccount(step, accountOf);
    if (account === undefined || !snapshots[account]) {
      planned.push({ index, step });
      continue;
    }
    const fields = fieldsWritten(contract, step);
    const empty = fields.filter((f) => unwritable(account, f));
    if (empty.length === 0) {
      planned.push({ index, step });
      continue;
    }
    const why = `accounts.${account} has no ${empty.join(", ")} on the target, and this endpoint cannot clear a field once set`;
    if (!step.send.data) return { steps: [], leftOut: [], unsafe: `it would send ${empty.join(", ")} in a body the suite cannot trim: ${why}` };
    const set = leftOut.get(account) ?? new Set<string>();
    for (const f of empty) set.add(f);
    leftOut.set(account, set);
    // A request left with no field of its own is dropped whole; the scenario's other requests still run.
    if (empty.length === fields.length) continue;
    const data = Object.fromEntries(Object.entries(step.send.data).filter(([f]) => !empty.includes(f)));
    planned.push({ index, step: { ...step, send: { ...step.send, data } } });
  }
  if (!planned.some(({ step }) => "send" in step)) {
    const fields = [...leftOut].map(([account, set]) => `accounts.${account} has no ${[...set].join(", ")} on the target`).join("; ");
    return { steps: [], leftOut: [], unsafe: `every field it sends is empty there (${fields}), and this endpoint cannot clear a field once set` };
  }

  const dropped = new Set([...leftOut.values()].flatMap((s) => [...s]));
  return {
    // An expectation about a field that was not sent no longer holds.
    steps: planned.map(({ index, step }) => ({ index, step: step.expect?.user ? { ...step, expect: { ...step.expect, user: omit(step.expect.user, dropped) } } : step })),
    leftOut: [...leftOut].map(([account, fields]) => ({ account, fields: [...fields] })),
  };
}

/** The account a request writes to: the email in its data, or a target account's email found in its body. */
export function targetAccount(step: SendStep, accountOf: (email: string) => string | undefined): string | undefined {
  const { data, body, raw } = step.send;
  if (data) return typeof data.email === "string" ? accountOf(data.email) : undefined;
  const nested = (body as { data?: { email?: unknown } } | null | undefined)?.data?.email;
  if (typeof nested === "string") return accountOf(nested);
  const text = typeof raw === "string" ? raw : body === undefined ? "" : JSON.stringify(body);
  for (const match of text.matchAll(/[^\s"'{}:,[\]]+@[^\s"'{}:,[\]]+/g)) {
    const account = accountOf(match[0]);
    if (account) return account;
  }
  return undefined;
}

/** The profile fields a request carries (for a raw body: every quoted key that names one). */
function fieldsWritten(contract: Contract, step: SendStep): string[] {
  const { data, body, raw } = step.send;
  const keys = data
    ? Object.keys(data)
    : raw !== undefined
      ? [...raw.matchAll(/"(\w+)"\s*:/g)].map((m) => m[1]!)
      : Object.keys(((body as { data?: unknown } | null)?.data ?? {}) as object);
  return [...new Set(keys)].filter((k) => contract.profileFields.includes(k));
}

function omit(record: Record<string, unknown>, keys: ReadonlySet<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !keys.has(k)));
}
