/**
 * @module conformance/placeholders
 * {{accounts.lockedUser.email}}, {{snapshot.updatableUser.phoneNumber}}, {{freePhoneNumber}}, {{unknownEmail}}
 * in scenario values, resolved against the target file and the snapshots taken for the scenario.
 * {{repeat:x:200000}} makes a long string (for size limits) without writing it into the scenario file.
 * {{new:lockedUser.city}} is a value the account does not hold yet (see new-values), {{new:lockedUser.dob:dateTime}}
 * the same as a date-time; {{spaced:accounts.phoneOwner.phoneNumber}} a number written with spaces.
 */
import { asDateTime, newValue, spacedPhone } from "./new-values.js";

const PLACEHOLDER = /\{\{\s*([^{}\s]+?)\s*\}\}/g;

export class MissingValue extends Error {
  override name = "MissingValue";
  constructor(readonly path: string) {
    super(`the target provides no ${path}`);
  }
}

/** Every placeholder path a value uses: {{new:x.f}} uses snapshot.x.f, {{spaced:p}} uses p. */
export function placeholdersIn(value: unknown): string[] {
  const text = JSON.stringify(value) ?? "";
  return [...text.matchAll(PLACEHOLDER)]
    .map((m) => m[1]!)
    .filter((path) => !path.startsWith("repeat:"))
    .map((path) => (path.startsWith("new:") ? `snapshot.${path.slice(4).split(":")[0]}` : path.startsWith("spaced:") ? path.slice(7) : path));
}

/** Resolves placeholders in strings; a string that is only a placeholder takes the value's own type. */
export function resolvePlaceholders<T>(value: T, context: Record<string, unknown>): T {
  if (typeof value === "string") {
    const whole = /^\{\{\s*([^{}\s]+?)\s*\}\}$/.exec(value);
    if (whole) return lookup(context, whole[1]!) as T;
    return value.replace(PLACEHOLDER, (_, path: string) => String(lookup(context, path))) as T;
  }
  if (Array.isArray(value)) return value.map((v) => resolvePlaceholders(v, context)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolvePlaceholders(v, context)])) as T;
  }
  return value;
}

function lookup(context: Record<string, unknown>, path: string): unknown {
  const repeat = /^repeat:(.):(\d{1,7})$/.exec(path);
  if (repeat) return repeat[1]!.repeat(Number(repeat[2]));
  const fresh = /^new:(\w+)\.(\w+)(?::(dateTime))?$/.exec(path);
  if (fresh) {
    const [, account, field, form] = fresh;
    const snapshot = (context.snapshot as Record<string, Record<string, unknown>> | undefined)?.[account!];
    if (!snapshot) throw new MissingValue(`snapshot.${account}`);
    const value = newValue(field!, snapshot[field!], context.freePhoneNumber as string | undefined);
    if (value === undefined) throw new MissingValue(`a new value for ${account}.${field}`);
    return form === "dateTime" ? asDateTime(value) : value;
  }
  if (path.startsWith("spaced:")) return spacedPhone(String(lookup(context, path.slice(7))));
  let node: unknown = context;
  for (const part of path.split(".")) {
    node = node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
  }
  if (node === undefined || node === null) throw new MissingValue(path);
  return node;
}
