/**
 * @module fake/core/search-query
 * The query string of GET /api/v1/users as openapi.yaml declares it (the vendor's search users page): email, limit,
 * after, sortBy, and sorOrder as the page spells it (sortOrder, as its text spells it, is taken too). A parameter the
 * operation does not declare is ignored, as most services do; a declared one given twice, or a value the operation
 * cannot use, is refused with what to send instead.
 */
import type { SearchQuery } from "../rules/search-users.js";

export const DEFAULT_SEARCH_LIMIT = 10;
export const MAX_SEARCH_LIMIT = 100;
const MAX_EMAIL_LENGTH = 320;
const MAX_CURSOR_LENGTH = 200;
const DECLARED = ["email", "limit", "after", "sortBy", "sorOrder", "sortOrder"] as const;

export type ParsedSearchQuery = { ok: true; query: SearchQuery } | { ok: false; detail: string };

export function parseSearchQuery(queryString: string): ParsedSearchQuery {
  // URLSearchParams never throws: a stray % stays as it is, as most services read it.
  const params = new URLSearchParams(queryString);
  for (const name of DECLARED) {
    const count = params.getAll(name).length;
    if (count > 1) return { ok: false, detail: `${name} is given ${count} times; give it once` };
  }
  const email = params.get("email") ?? "";
  if (email.length > MAX_EMAIL_LENGTH) return { ok: false, detail: `email must be at most ${MAX_EMAIL_LENGTH} characters` };

  const limitText = params.get("limit");
  const limit = limitText === null ? DEFAULT_SEARCH_LIMIT : /^\d{1,4}$/.test(limitText) ? Number(limitText) : NaN;
  if (!(limit >= 1 && limit <= MAX_SEARCH_LIMIT)) {
    return { ok: false, detail: `limit must be a whole number from 1 to ${MAX_SEARCH_LIMIT} (received ${JSON.stringify(limitText)})` };
  }

  const sortBy = params.get("sortBy");
  if (sortBy !== null && sortBy !== "createdAt") return { ok: false, detail: `sortBy must be createdAt, the only order the search offers (received ${JSON.stringify(sortBy)})` };

  const sorOrder = params.get("sorOrder");
  const sortOrder = params.get("sortOrder");
  for (const [name, value] of [["sorOrder", sorOrder], ["sortOrder", sortOrder]] as const) {
    if (value !== null && value !== "asc" && value !== "desc") return { ok: false, detail: `${name} must be asc or desc (received ${JSON.stringify(value)})` };
  }
  if (sorOrder !== null && sortOrder !== null && sorOrder !== sortOrder) return { ok: false, detail: "sorOrder and sortOrder disagree; give one of them" };
  const order = (sorOrder ?? sortOrder ?? "asc") as SearchQuery["order"];

  const after = params.get("after");
  if (after !== null && (after === "" || after.length > MAX_CURSOR_LENGTH)) {
    return { ok: false, detail: "after must be the meta.cursor of the previous page (leave it out for the first page)" };
  }
  return { ok: true, query: { email, limit, order, ...(after !== null ? { after } : {}) } };
}

/** The email filter of a search, for matching faults by email. */
export function searchEmailOf(queryString: string): string | undefined {
  return new URLSearchParams(queryString).get("email") ?? undefined;
}
