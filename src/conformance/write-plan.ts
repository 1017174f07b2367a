/**
 * @module conformance/write-plan
 * Nothing the suite cannot undo: each write is planned against the snapshot of the account it goes to. A field is
 * sent only if its value before can be written back through this endpoint (see write-back): never to a field that
 * is empty (the page says nothing of clearing one), never over a value the endpoint would refuse, and never to an
 * account the key cannot read (its value before is unknown). An update loses such a field (the scenario says which
 * it left out), a request left with no field is dropped, and a scenario left with no request at all is skipped.
 */
import type { Contract } from "../contract/contract.js";
import type { Profile } from "./profile-guard.js";
import type { SendStep, Step } from "./scenario.js";
import { canWriteBack } from "./write-back.js";

/** A step as it will run, and its place in the scenario (a dropped request leaves a gap). */
export interface PlannedStep {
  index: number;
  step: Step;
}

export interface LeftOut {
  account: string;
  fields: string[];
  /** Why they could not be undone: what the target holds, or that the key cannot read the account. */
  why: string;
  /** The key cannot read the account: expected of a conforming target (staff, another organization). */
  unreadable: boolean;
}

export interface WritePlan {
  steps: PlannedStep[];
  /** Fields left out of updates, by account. */
  leftOut: LeftOut[];
  /** Set when the scenario cannot run without a write that could not be undone. */
  unsafe?: string;
}

/**
 * @param steps the scenario's steps, placeholders resolved
 * @param accountOf the account name an email belongs to, if it is one of the target file's
 * @param snapshots the profiles read before the scenario
 * @param unreadable the accounts the key was refused to read: nothing is written to them
 */
export function planWrites(
  contract: Contract,
  steps: readonly Step[],
  accountOf: (email: string) => string | undefined,
  snapshots: Readonly<Record<string, Profile>>,
  unreadable: ReadonlySet<string> = new Set(),
): WritePlan {
  const leftOut = new Map<string, LeftOut>();
  const why = (account: string, fields: readonly string[]) =>
    unreadable.has(account)
      ? `accounts.${account} cannot be read with this key, so its values before are unknown`
      : `on accounts.${account}, ${fields.map((f) => `${f} is ${shown(snapshots[account]?.[f])}`).join(", ")}: a value this endpoint could not take back`;
  const unwritable = (account: string, field: string) =>
    contract.profileFields.includes(field) && (unreadable.has(account) || (snapshots[account] !== undefined && !canWriteBack(contract, field, snapshots[account][field])));
  const planned: PlannedStep[] = [];

  for (const [index, step] of steps.entries()) {
    if (!("send" in step)) {
      planned.push({ index, step });
      continue;
    }
    const account = targetAccount(step, accountOf);
    const fields = fieldsWritten(contract, step);
    const left = account === undefined ? [] : fields.filter((f) => unwritable(account, f));
    if (account === undefined || left.length === 0) {
      planned.push({ index, step });
      continue;
    }
    if (!step.send.data) return { steps: [], leftOut: [], unsafe: `it would send ${left.join(", ")} in a body the suite cannot trim, and ${why(account, left)}` };
    const entry = leftOut.get(account) ?? { account, fields: [], why: "", unreadable: unreadable.has(account) };
    entry.fields = [...new Set([...entry.fields, ...left])];
    entry.why = why(account, entry.fields);
    leftOut.set(account, entry);
    // A request left with no field of its own is dropped whole; the scenario's other requests still run.
    if (left.length === fields.length) continue;
    const data = Object.fromEntries(Object.entries(step.send.data).filter(([f]) => !left.includes(f)));
    planned.push({ index, step: { ...step, send: { ...step.send, data } } });
  }
  if (!planned.some(({ step }) => "send" in step)) {
    const reasons = [...leftOut.values()].map((l) => `${l.fields.join(", ")}: ${l.why}`).join("; ");
    return { steps: [], leftOut: [], unsafe: `every field it sends would be a write it could not undo (${reasons})` };
  }

  const dropped = new Set([...leftOut.values()].flatMap((l) => l.fields));
  return {
    // An expectation about a field that was not sent no longer holds.
    steps: planned.map(({ index, step }) => ({ index, step: step.expect?.user ? { ...step, expect: { ...step.expect, user: omit(step.expect.user, dropped) } } : step })),
    leftOut: [...leftOut.values()],
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

function shown(value: unknown): string {
  return value === null || value === undefined || value === "" ? "empty" : JSON.stringify(value);
}

function omit(record: Record<string, unknown>, keys: ReadonlySet<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !keys.has(k)));
}
