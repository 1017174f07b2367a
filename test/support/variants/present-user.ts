// The user as this deployment answers it: the page's fields in the page's order, plus its own extras.
import type { User } from "./domain.js";
import { HEALTH_FIELDS, PROFILE_FIELDS } from "./domain.js";
import type { Knobs } from "./knobs.js";

export function presentUser(user: User, k: Pick<Knobs, "extras" | "emptyOut">, dob: "date" | "dateTime"): Record<string, unknown> {
  const answer: Record<string, unknown> = {};
  const put = (field: string, value: string | null) => {
    if (value === null && k.emptyOut === "omitted") return;
    answer[field] = value;
  };
  if (k.extras.includes("id")) answer.id = user.id;
  answer.email = user.email;
  for (const field of PROFILE_FIELDS)
    put(field, field === "dob" && user.dob !== null && dob === "dateTime" ? `${user.dob}T00:00:00.000Z` : user[field]);
  if (k.extras.includes("health")) for (const field of HEALTH_FIELDS) put(field, user[field]);
  if (k.extras.includes("role")) answer.role = user.role;
  if (k.extras.includes("organizationId")) answer.organizationId = user.organizationId;
  if (k.extras.includes("timestamps")) {
    answer.createdAt = user.createdAt;
    answer.updatedAt = user.updatedAt;
  }
  return answer;
}
