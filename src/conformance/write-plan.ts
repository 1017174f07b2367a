/**
 * @module conformance/write-plan
 * Nothing the suite cannot undo: each write is planned against the snapshot of the account it goes to. A field is
 * sent only if its value before can be written back through this endpoint (see write-back): never to a field that
 * is empty (the page says nothing of clearing one), never over a value the endpoint would refuse, and never to an
 * account no key of the run can put back (one it cannot read, a staff user). An update loses such a field (the
 * scenario says which it left out), a request left with no field is dropped, and a scenario left with no request
 * at all is skipped. `change: [fields]` adds each field the account can take back, with a new value; `null` goes
 * only to a field that is empty already.
 */
import type { Contract } from "../contract/contract.js";
import { newValue } from "./new-values.js";
import type { Profile } from "./read-profile.js";
import type { SendStep, Step } from "./scenario.js";
import { canWriteBack, isEmpty } from "./write-back.js";

/** A step as it will run, and its place in the scenario (a dropped request leaves a gap). */
export interface PlannedStep {
  index: number;
  step: Step;
}

export interface LeftOut {
  account: string;
  fields: string[];
  /** Why they could not be undone: what the target holds, or that no key of the run can put the account back. */
  why: string;
  /** No key of the run may put the account back: expected of a conforming target (staff, another organization). */
  unreadable: boolean;
}

export interface WritePlan {
  steps: PlannedStep[];
  /** Fields left out of updates, by account. */
  leftOut: LeftOut[];
  /** Set when the scenario cannot run without a write that could not be undone. */
  unsafe?: string;
}

export interface WriteContext {
  /** The profiles read before the scenario. */
  snapshots: Readonly<Record<string, Profile>>;
  /** Why a write to this account could not be put back; undefined when it can. */
  cannotRestore(account: string): string | undefined;
  /** The account name an email belongs to, if it is one of the target file's. */
  accountOf(email: string): string | undefined;
  freePhoneNumber?: string;
}

/** @param steps the scenario's steps, placeholders resolved */
export function planWrites(contract: Contract, steps: readonly Step[], ctx: WriteContext): WritePlan {
  const { snapshots } = ctx;
  const leftOut = new Map<string, LeftOut>();
  const why = (account: string, fields: readonly string[]) =>
    ctx.cannotRestore(account) ??
    `on accounts.${account}, ${fields.map((f) => `${f} is ${shown(snapshots[account]?.[f])}`).join(", ")}: a value this endpoint could not take back`;
  const leave = (account: string, fields: readonly string[]) => {
    const entry = leftOut.get(account) ?? { account, fields: [], why: "", unreadable: ctx.cannotRestore(account) !== undefined };
    entry.fields = [...new Set([...entry.fields, ...fields])];
    entry.why = why(account, entry.fields);
    leftOut.set(account, entry);
  };
  const unwritable = (account: string, field: string, value: unknown) => {
    if (!contract.profileFields.includes(field)) return false;
    if (ctx.cannotRestore(account) !== undefined) return true;
    const before = snapshots[account]?.[field];
    // null to a field already empty changes nothing, so there is nothing to undo.
    if (value === null && snapshots[account] !== undefined && isEmpty(before)) return false;
    return snapshots[account] !== undefined && !canWriteBack(contract, field, before);
  };
  const planned: PlannedStep[] = [];

  for (const [index, original] of steps.entries()) {
    if (!("send" in original)) {
      planned.push({ index, step: original });
      continue;
    }
    const account = targetAccount(original, ctx.accountOf);
    const expanded = expand(contract, original, account, ctx);
    const step = expanded.step;
    if (expanded.leftOut.length > 0 && account) leave(account, expanded.leftOut);
    // null for each empty field in a request of its own: a refusal of one must not hide an answer to another.
    if (expanded.nulls.length > 0 && account !== undefined && ctx.cannotRestore(account) === undefined) {
      for (const field of expanded.nulls)
        planned.push({ index, step: { ...step, send: { ...step.send, data: { ...step.send.data, [field]: null } } } });
      continue;
    }
    if (expanded.drop) continue;
    const fields = fieldsWritten(contract, step);
    const data = step.send.data ?? {};
    const left = account === undefined ? [] : fields.filter((f) => unwritable(account, f, data[f]));
    if (account === undefined || left.length === 0) {
      planned.push({ index, step });
      continue;
    }
    if (!step.send.data)
      return { steps: [], leftOut: [], unsafe: `it would send ${left.join(", ")} in a body the suite cannot trim, and ${why(account, left)}` };
    leave(account, left);
    // A request left with no field of its own is dropped whole; the scenario's other requests still run.
    if (left.length === fields.length) continue;
    planned.push({
      index,
      step: { ...step, send: { ...step.send, data: Object.fromEntries(Object.entries(step.send.data).filter(([f]) => !left.includes(f))) } },
    });
  }
  if (!planned.some(({ step }) => "send" in step)) {
    const reasons = [...leftOut.values()].map((l) => `${l.fields.join(", ")}: ${l.why}`).join("; ");
    return {
      steps: [],
      leftOut: [],
      unsafe: reasons ? `every field it sends would be a write it could not undo (${reasons})` : "no request is left to send on this target",
    };
  }

  const dropped = new Set([...leftOut.values()].flatMap((l) => l.fields));
  return {
    // An expectation about a field that was not sent no longer holds.
    steps: planned.map(({ index, step }) => ({
      index,
      step: step.expect?.user ? { ...step, expect: { ...step.expect, user: omit(step.expect.user, dropped) } } : step,
    })),
    leftOut: [...leftOut.values()],
  };
}

interface Expanded {
  step: SendStep;
  /** Fields `change` could not add: the account holds no value this endpoint could take back. */
  leftOut: string[];
  /** Nothing of its own is left to send (all `change` left out, no empty field for `nullForEmpty`): the request is dropped. */
  drop: boolean;
  /** `nullForEmpty`: the fields empty on the account, each to be sent null in a request of its own. */
  nulls: string[];
}

/** `change` and `nullForEmpty` made into fields of `data`, against the account's snapshot. */
function expand(contract: Contract, step: SendStep, account: string | undefined, ctx: WriteContext): Expanded {
  const { change, nullForEmpty, ...send } = step.send;
  if (!change && !nullForEmpty) return { step, leftOut: [], drop: false, nulls: [] };
  const snapshot = account && ctx.cannotRestore(account) === undefined ? ctx.snapshots[account] : undefined;
  const data: Record<string, unknown> = { ...(send.data ?? {}) };
  const leftOut: string[] = [];
  for (const field of change ?? []) {
    const value = snapshot && canWriteBack(contract, field, snapshot[field]) ? newValue(field, snapshot[field], ctx.freePhoneNumber) : undefined;
    if (value === undefined) leftOut.push(field);
    else data[field] = value;
  }
  const nulls = nullForEmpty && snapshot ? contract.profileFields.filter((f) => isEmpty(snapshot[f])) : [];
  const own = Object.keys(data).filter((f) => contract.profileFields.includes(f));
  return { step: { ...step, send: { ...send, data } }, leftOut, drop: own.length === 0, nulls };
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

function shown(value: unknown): string {
  return value === null || value === undefined || value === "" ? "empty" : JSON.stringify(value);
}

function omit(record: Record<string, unknown>, keys: ReadonlySet<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !keys.has(k)));
}
