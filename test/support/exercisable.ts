// A QA team's accounts, as the target file's documentation asks for them: the locked account holds its identity
// fields (its case was assigned after ID verification, so they are known), and every field a probe needs is held by
// at least one account that can carry it. Emptiness stays everywhere else: the suite must work around it.
import type { Knobs } from "./variants/index.js";

type Account = keyof Knobs["accounts"]["emptyFields"];
type Field = Knobs["accounts"]["emptyFields"][Account][number];

/** Each need: accounts (in the suite's order of preference) of which one must hold every listed field. */
const NEEDS: ReadonlyArray<[readonly Account[], readonly Field[]]> = [
  [["lockedUser"], ["dob", "gender"]],
  // A value is written to stay (success) only on the accounts the target file documents as free of a lock: a
  // phoneOwner may have a locking case, so the dob or gender it holds serves the format probes, never a success.
  [["updatableUser", "unlockedCaseUser"], ["dob"]],
  [["updatableUser", "unlockedCaseUser"], ["gender"]],
  [["updatableUser", "phoneOwner", "unlockedCaseUser"], ["state"]],
  [["updatableUser", "phoneOwner", "unlockedCaseUser"], ["postalCode"]],
  [["updatableUser", "unlockedCaseUser", "lockedUser"], ["phoneNumber"]],
  [["updatableUser"], ["city"]],
  [["lockedUser"], ["city"]],
];

export function exercisable(knobs: Knobs): Knobs {
  const emptyFields = { ...knobs.accounts.emptyFields } as Record<Account, readonly Field[]>;
  let legacyStateOn = knobs.accounts.legacyStateOn;
  for (const [accounts, fields] of NEEDS) {
    const holds = (a: Account) => fields.every((f) => !emptyFields[a].includes(f)) && !(fields.includes("state") && legacyStateOn === a);
    if (accounts.some(holds)) continue;
    const first = accounts[0]!;
    emptyFields[first] = emptyFields[first].filter((f) => !fields.includes(f));
    if (fields.includes("state") && legacyStateOn === first) legacyStateOn = null;
  }
  return { ...knobs, accounts: { ...knobs.accounts, emptyFields, legacyStateOn } };
}
