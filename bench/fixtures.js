// Fixture sets for the benchmark: the built-in one, and a generated one of any size (100,000 users by default).
// Every 10th user has an ASSIGNED case (locked), every 50th is staff, every 7th belongs to clinic B only.
import { readFileSync } from "node:fs";

export const KEY_A = "cvk_test_clinic_a_4f1c2d9e";

export function defaultFixtures() {
  return JSON.parse(readFileSync(new URL("../fixtures/default.json", import.meta.url), "utf8"));
}

export const benchUser = (i) => ({
  id: `u${i}`,
  email: `user${i}@bench.test`,
  role: i % 50 === 1 ? "ADMIN" : "USER",
  organizationIds: i % 7 === 3 ? ["org-clinic-b"] : ["org-clinic-a"],
  firstName: `First${i}`,
  lastName: `Last${i}`,
  dob: "1990-01-01",
  gender: "FEMALE",
  phoneNumber: `+1555${String(i).padStart(7, "0")}`,
  address: `${i} Bench St`,
  address2: null,
  city: "Springfield",
  state: "IL",
  country: "US",
  postalCode: "62701",
});

export function generatedFixtures(count) {
  const base = defaultFixtures();
  const users = Array.from({ length: count }, (_, i) => benchUser(i));
  const cases = [];
  for (let i = 0; i < count; i += 10) cases.push({ id: `c${i}`, userId: `u${i}`, organizationId: "org-clinic-a", status: "ASSIGNED" });
  return { organizations: base.organizations, apiKeys: base.apiKeys, users, cases };
}

/** A USER of clinic A with no case, spread over the whole range (the per-request cost must not depend on where). */
export function updatableEmails(count, howMany) {
  const out = [];
  for (let k = 0; out.length < howMany; k++) {
    const i = Math.floor(((k * 7919) % howMany) * (count / howMany)) + 2;
    if (i % 10 !== 0 && i % 50 !== 1 && i % 7 !== 3 && i < count) out.push(`user${i}@bench.test`);
    else if (k > howMany * 10) break;
  }
  return out;
}
