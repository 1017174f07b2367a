// The service's own model: organizations, their keys, users and cases, as a backend team would write it.

export const CASE_STATUSES = ["OPEN", "ASSIGNED", "IN_PROGRESS", "APPROVED", "REJECTED", "NO_DECISION", "ABANDONED"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** "Approved, Assigned, InProgress, NoDecision, or Rejected": a case in one of these locks the identity fields. */
export const LOCKING_STATUSES = ["ASSIGNED", "IN_PROGRESS", "APPROVED", "REJECTED", "NO_DECISION"] as const satisfies readonly CaseStatus[];
export type LockingStatus = (typeof LOCKING_STATUSES)[number];

/** The identity fields the page locks once a case is assigned (ID verification has been done on them). */
export const LOCKED_FIELDS = ["firstName", "lastName", "dob", "gender"] as const;
export type LockedField = (typeof LOCKED_FIELDS)[number];

/** The page's data fields other than email, plus phoneNumber (in the page's example), in the page's order. */
export const PROFILE_FIELDS = [
  "firstName",
  "lastName",
  "dob",
  "phoneNumber",
  "gender",
  "address",
  "address2",
  "city",
  "state",
  "country",
  "postalCode",
] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/** Free-text health fields of the vendor's staging page, stored only by deployments that offer them. */
export const HEALTH_FIELDS = ["allergies", "currentMedications", "healthConditions"] as const;
export type HealthField = (typeof HEALTH_FIELDS)[number];

export type WritableField = ProfileField | HealthField;

export const STAFF_ROLES = ["CASEMANAGER", "CASEWORKER", "ADMIN", "CVADMIN", "CVTPA"] as const;
export type Role = "USER" | (typeof STAFF_ROLES)[number];

export interface Organization {
  id: string;
  name: string;
  apiKey: string;
}

/** A stored user. Text fields hold null when they have no value; dob is kept as YYYY-MM-DD. */
export type User = {
  id: string;
  email: string;
  organizationId: string;
  role: Role;
  createdAt: string;
  updatedAt: string;
} & Record<WritableField, string | null>;

export interface Case {
  id: string;
  userId: string;
  organizationId: string;
  status: CaseStatus;
}

/** A change to a user: the fields to set (null clears). */
export type Patch = Partial<Record<WritableField, string | null>>;
