/**
 * @module conformance/access
 * How the suite reaches each account of the target file: with which key (the run's, or the second organization's
 * the target file names), how it reads a profile, and whether a write to it can be put back.
 * - Reads go through the vendor's search endpoint (GET /api/v1/users?email=, "Search users" on the vendor's other
 *   pages: within the key's organization, answering {meta, data: [users]}) where the target offers it: such a read
 *   writes nothing. Elsewhere a read is an update that sends only the email, as the page leaves no other way.
 * - An account can be written to only if its own key may update it back: the USERs of the run's organization (and
 *   the accounts of custom scenarios, taken to be such), and otherOrganizationUser with the second organization's
 *   key. A staff user is written to only where search can read it back.
 */
import { KEY_REFERENCE } from "./exchange.js";
import type { Target } from "./target.js";
import type { Transport } from "./transport.js";

/** A key the suite sends: its value (never recorded) and how reports and curl lines name it. */
export interface Key {
  value: string;
  reference: string;
}

export type ReadMethod = "search" | "update";

export interface Access {
  transport: Transport;
  /** The run's key. */
  key: Key;
  /** The second organization's key, when the target file names that organization. */
  otherKey?: Key;
  readMethod: ReadMethod;
  target: Target;
  /**
   * The longest a read has been seen to lag behind a write the target acknowledged (a write-behind queue, a replica):
   * a read that must show that nothing changed waits this long first, or a late partial write would go unseen.
   */
  observedLagMs: number;
  /**
   * A value sent with a 2xx that showed no user (claimed, not acknowledged) was waited for in full and never showed:
   * this target answers 200 without applying (a stateless mock), so later claims get only the lag seen, not the
   * whole patience again.
   */
  claimsSeenLost?: boolean;
}

/** A lag longer than this is not waited for before a read: the restore's own patience covers it. */
export const MAX_LAG_WAIT_MS = 3000;

/** Notes a lag seen (ms between an acknowledged write and the first read that shows it). */
export function noteLag(access: Access, ms: number): void {
  access.observedLagMs = Math.min(MAX_LAG_WAIT_MS, Math.max(access.observedLagMs, Math.ceil(ms)));
}

/**
 * How long after a refused write carrying profile fields the accounts are read once more: a target that writes before
 * it refuses (a lock that is not atomic) may show it only on a replica that lags, which a read right after missed.
 */
export const REFUSED_WRITE_SETTLE_MS = 100;

/** How long to wait for claimed values: the whole patience until one was seen lost, then the lag seen (and a margin). */
export function claimPatience(access: Access, patienceMs: number): number {
  return access.claimsSeenLost ? Math.min(patienceMs, 2 * access.observedLagMs + 250) : patienceMs;
}

/** The accounts that belong to the second organization (read and put back with its key). */
export const OTHER_ORGANIZATION_ACCOUNTS: readonly string[] = ["otherOrganizationUser"];

/**
 * Accounts the endpoint rightly refuses to update. A write sent to one is refused by a target that follows the page,
 * so nothing is to be put back; a target that writes while it refuses takes the write back the same way. So such an
 * account is written to only where the run can see the result: through search, which reads it with no update.
 */
const REFUSED_ACCOUNTS = new Set(["staffUser"]);

export function runKey(value: string): Key {
  return { value, reference: KEY_REFERENCE };
}

/** The key an account is read and restored with; undefined when no key of the run can read it. */
export function keyOf(access: Access, account: string): Key | undefined {
  if (OTHER_ORGANIZATION_ACCOUNTS.includes(account)) return access.otherKey;
  return access.key;
}

/** A write to this account can be put back through the endpoint with its own key. */
export function restorable(access: Access, account: string): boolean {
  if (OTHER_ORGANIZATION_ACCOUNTS.includes(account)) return access.otherKey !== undefined;
  return !REFUSED_ACCOUNTS.has(account) || access.readMethod === "search";
}
