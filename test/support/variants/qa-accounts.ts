// The QA data the team seeded its staging with: two organizations, the named accounts, a few more users, their cases.
import type { Case, CaseStatus, Organization, Role, User } from "./domain.js";
import { CASE_STATUSES, HEALTH_FIELDS, PROFILE_FIELDS } from "./domain.js";
import type { AccountKnobs, AccountName } from "./knobs.js";
import { seededRandom, type Random } from "./random.js";
import type { TargetFile } from "./target-file.js";

// Names and addresses of many lengths (all within the tightest name limit a deployment draws, 50).
const FIRST_NAMES = ["Al", "Mia", "John", "Priya", "Oluwaseun", "Anne-Sophie", "Guadalupe Esperanza", "Maximilian-Alexander", "Zoë", "Siobhán"];
const LAST_NAMES = ["Li", "Doe", "Okafor", "O'Neill", "Fernández-García", "Vanderbilt-Wolcott", "Nakamura-Schmidt von Hohenberg", "Ng"];
const ADDRESSES = ["1 A St", "123 ABC street", "77 Massachusetts Ave", "4567 North Martin Luther King Junior Boulevard West"];
const ADDRESS2S = ["Apt 2", "Suite 1400", "Unit 7B, Building C, Rear Entrance", "#3"];
const CITIES = ["NYC", "Springfield", "San Francisco", "Truth or Consequences", "Rancho Santa Margarita"];
const STATES = ["NY", "CA", "TX", "WA", "MA"];
const POSTAL_CODES = ["01010", "94110", "10001", "73301", "98101"];
const GENDERS = ["MALE", "FEMALE", "OTHER"];
const HEALTH: Record<(typeof HEALTH_FIELDS)[number], readonly (string | null)[]> = {
  allergies: ["Peanuts, Shellfish", "Penicillin", null],
  currentMedications: ["Aspirin, Metformin", "Lisinopril", null],
  healthConditions: ["Diabetes, Hypertension", "Asthma", null],
};
const AREA_CODES = ["415", "212", "646", "305", "312", "206"];
/** A value the service itself would refuse today, left from before state was validated. */
export const LEGACY_STATE = "New York";

export interface QaData {
  organizations: [Organization, Organization];
  users: User[];
  cases: Case[];
  target: TargetFile;
  /** A staff user of the other organization (not in the target file; used where the role is checked before the organization). */
  otherOrganizationStaffEmail: string;
}

const slug = (text: string) =>
  text
    .normalize("NFD")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");

function phoneNumbers(random: Random): () => string {
  const used = new Set<string>();
  return () => {
    for (;;) {
      const number = `+1${random.pick(AREA_CODES)}555${String(random.int(100, 9999)).padStart(4, "0")}`;
      if (!used.has(number)) {
        used.add(number);
        return number;
      }
    }
  };
}

const dayOf = (random: Random) =>
  `${random.int(1940, 2005)}-${String(random.int(1, 12)).padStart(2, "0")}-${String(random.int(1, 28)).padStart(2, "0")}`;

/** Builds the seeded state and the target file that names its accounts. */
export function qaAccounts(k: AccountKnobs): QaData {
  const random = seededRandom(k.dataSeed);
  const nextPhone = phoneNumbers(random);
  const tag = random.int(1000, 9999);
  const main: Organization = { id: "org_main", name: "Clinic A", apiKey: `cvk_live_a_${tag}${random.int(100000, 999999)}` };
  const other: Organization = { id: "org_other", name: "Clinic B", apiKey: `cvk_live_b_${tag}${random.int(100000, 999999)}` };
  const users: User[] = [];
  const cases: Case[] = [];
  const created = Date.UTC(2024, 2, 1);

  const addUser = (org: Organization, role: Role, label: string, account?: AccountName): User => {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const at = new Date(created + users.length * 86_400_000 + random.int(0, 86_399) * 1000).toISOString();
    const user: User = {
      id: `usr_${String(users.length + 1).padStart(4, "0")}`,
      email: `${slug(first)}.${slug(last)}+${label}${tag}@${org === main ? "clinic-a" : "clinic-b"}.example`,
      organizationId: org.id,
      role,
      createdAt: at,
      updatedAt: at,
      firstName: first,
      lastName: last,
      dob: dayOf(random),
      phoneNumber: nextPhone(),
      gender: random.pick(GENDERS),
      address: random.pick(ADDRESSES),
      address2: random.pick(ADDRESS2S),
      city: random.pick(CITIES),
      state: random.pick(STATES),
      country: "US",
      postalCode: random.pick(POSTAL_CODES),
      ...Object.fromEntries(HEALTH_FIELDS.map((field) => [field, random.pick(HEALTH[field])])),
    } as User;
    if (account) {
      for (const field of k.emptyFields[account]) user[field] = null;
      if (k.legacyStateOn === account) user.state = LEGACY_STATE;
    } else {
      for (const field of random.subset(PROFILE_FIELDS.slice(3), 0.2)) user[field] = null;
    }
    users.push(user);
    return user;
  };
  const addCase = (user: User, status: CaseStatus) =>
    cases.push({ id: `case_${String(cases.length + 1).padStart(4, "0")}`, userId: user.id, organizationId: user.organizationId, status });

  const updatable = addUser(main, "USER", "updatable", "updatableUser");
  if (k.updatableCase !== "none") addCase(updatable, k.updatableCase);
  const locked = addUser(main, "USER", "locked", "lockedUser");
  addCase(locked, k.lockedCaseStatus);
  if (k.lockedAlsoHasOpenCase) addCase(locked, "OPEN");
  const unlockedCase = addUser(main, "USER", "opencases", "unlockedCaseUser");
  addCase(unlockedCase, "OPEN");
  addCase(unlockedCase, "ABANDONED");
  const staff = addUser(main, k.staffRole, "staff", "staffUser");
  const phoneOwner = addUser(main, "USER", "phoneowner", "phoneOwner");
  for (let i = 0; i < k.fillerUsers; i++) {
    const filler = addUser(main, "USER", `member${i}`);
    if (random.chance(0.5)) addCase(filler, random.pick(CASE_STATUSES));
  }
  const otherUser = addUser(other, "USER", "otherorg", "otherOrganizationUser");
  const otherStaff = addUser(other, "ADMIN", "otherstaff");

  const numberOf = (user: User) => {
    if (user.phoneNumber === null) throw new Error(`QA account ${user.email} must have a phone number: it is named in the target file.`);
    return user.phoneNumber;
  };
  return {
    organizations: [main, other],
    users,
    cases,
    otherOrganizationStaffEmail: otherStaff.email,
    target: {
      accounts: {
        updatableUser: { email: updatable.email },
        lockedUser: { email: locked.email },
        unlockedCaseUser: { email: unlockedCase.email },
        otherOrganizationUser: { email: otherUser.email, phoneNumber: numberOf(otherUser) },
        staffUser: { email: staff.email },
        phoneOwner: { email: phoneOwner.email, phoneNumber: numberOf(phoneOwner) },
      },
      freePhoneNumber: nextPhone(),
      unknownEmail: `nobody+${tag}@clinic-a.example`,
      otherOrganization: { apiKeyEnv: "CV_OTHER_API_KEY" },
    },
  };
}
