// The lock: once a case is assigned to a provider, the identity fields (verified before assignment) cannot change.
import type { Break } from "./breaks.js";
import type { CaseStatus, User } from "./domain.js";
import { CASE_STATUSES, LOCKED_FIELDS, LOCKING_STATUSES } from "./domain.js";
import type { Knobs } from "./knobs.js";
import type { Store } from "./store.js";

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function lockingStatuses(k: Knobs, has: (b: Break) => boolean): readonly CaseStatus[] {
  if (has("open-case-locks")) return CASE_STATUSES;
  if (has("abandoned-case-locks")) return [...LOCKING_STATUSES, "ABANDONED"];
  if (has("lock-misses-a-status")) return LOCKING_STATUSES.filter((s) => s !== k.accounts.lockedCaseStatus);
  return LOCKING_STATUSES;
}

export function isLocked(user: User, store: Store, k: Knobs, has: (b: Break) => boolean): boolean {
  const statuses = lockingStatuses(k, has);
  return store.casesOf(user.id).some((c) => statuses.includes(c.status));
}

/** Would this value change the stored one, once normalised the way the service stores it? */
function changes(user: User, field: string, value: unknown, k: Knobs): boolean {
  const stored = user[field as keyof User];
  if (typeof value !== "string") return value !== stored;
  let normal = k.trimText ? value.trim() : value;
  if (field === "gender" && k.genderCase === "upper") normal = normal.toUpperCase();
  return normal !== stored;
}

/** The locked fields this request would write (by presence or by change, as the deployment decides). */
export function lockedFieldsSent(user: User, data: Record<string, unknown>, k: Knobs, has: (b: Break) => boolean): string[] {
  let fields: string[] = [...LOCKED_FIELDS];
  if (has("gender-not-locked")) fields = fields.filter((f) => f !== "gender");
  if (has("lock-covers-address")) fields.push("address");
  return fields.filter((field) => {
    if (!(field in data)) return false;
    // The bug: the guard was written for the page's YYYY-MM-DD form only.
    if (field === "dob" && has("lock-bypassed-by-datetime-dob") && !(typeof data.dob === "string" && DATE_ONLY.test(data.dob))) return false;
    return k.lockTrigger === "presence" || changes(user, field, data[field], k);
  });
}
