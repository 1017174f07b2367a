// Fixtures with many updatable users (USER of clinic A, no case), for concurrency and crash tests.
import { readFileSync } from "node:fs";
import type { FixtureSet } from "../../src/index.js";

const defaults = JSON.parse(readFileSync(new URL("../../fixtures/default.json", import.meta.url), "utf8")) as FixtureSet;

export const manyEmail = (i: number) => `many${i}@clinic-a.test`;

export function manyUsers(count: number): FixtureSet {
  const users = Array.from({ length: count }, (_, i) => ({
    id: `u-many-${i}`,
    email: manyEmail(i),
    role: "USER" as const,
    organizationIds: ["org-clinic-a"],
    firstName: `Many${i}`,
  }));
  return { ...structuredClone(defaults), users: [...structuredClone(defaults.users), ...users] };
}
