import { defineCheck, verdict } from "./define-check.js";

export const unknownKeysNotStored = defineCheck({
  id: "unknown_keys_not_stored",
  title: "Keys outside the page's table are never stored",
  tier: "inferred",
  aspect: "behaviour",
  scope: "expectation",
  obligation: {
    inferred:
      'The page lists the fields that can be updated; the vendor\'s sibling profile endpoint documents "Unknown body keys are silently dropped".',
  },
  run({ expect, profile }) {
    if (!expect.userLacks || !profile) return undefined;
    const present = expect.userLacks.filter((key) => Object.hasOwn(profile, key));
    return verdict(present.length === 0, () => `data.user has ${present.join(", ")}`, "keys outside the contract are never stored");
  },
});
