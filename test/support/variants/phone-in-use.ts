// Phone numbers are unique platform-wide: "already associated with a different user" refuses the update.
import type { Break } from "./breaks.js";
import type { User } from "./domain.js";
import type { Knobs } from "./knobs.js";
import { storedPhone } from "./normalise.js";
import type { Store } from "./store.js";

/** Whether another user already holds the number this request sends (compared as the service stores numbers). */
export function phoneTakenByOther(sent: unknown, user: User | undefined, store: Store, k: Knobs, has: (b: Break) => boolean): boolean {
  if (typeof sent !== "string" || has("phone-not-unique")) return false;
  // An unusable number is left to validation; the bug compares the text as sent.
  const number = has("phone-compared-raw") ? sent : storedPhone(sent, k);
  if (number === null) return false;
  return store
    .phoneHolders(number)
    .some(
      (holder) =>
        (has("own-phone-refused") || holder.id !== user?.id) &&
        (!has("phone-unique-per-organization") || holder.organizationId === user?.organizationId),
    );
}
