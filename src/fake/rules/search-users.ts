/**
 * @module fake/rules/search-users
 * GET /api/v1/users, the vendor's "Search users" page: one page of the users of the key's organization whose email
 * starts with the filter, sorted by creation. Where that page is silent (docs/search-users.md): the prefix matches in
 * any letter case, as emails do everywhere in the fake; users of every role are listed; the fake has no createdAt, so
 * the order users were added to the state stands for it; a cursor is the last user's id, and one that names no user
 * of the organization is refused (the user was deleted, or the cursor is another organization's or made up).
 */
import { emailKey, type StateView } from "../state/state-index.js";
import type { StoredUser } from "../state/types.js";

export interface SearchQuery {
  /** The prefix; "" lists every user of the organization. */
  email: string;
  limit: number;
  order: "asc" | "desc";
  /** meta.cursor of the previous page. */
  after?: string;
}

export type SearchResult = { ok: true; users: StoredUser[]; hasMore: boolean; cursor: string | null } | { ok: false; failure: "unknownCursor" };

/** The cursor that continues after this user: opaque to clients (base64url of the id). */
export function cursorOf(user: StoredUser): string {
  return Buffer.from(user.id, "utf8").toString("base64url");
}

export function searchUsers(state: StateView, organizationId: string, query: SearchQuery): SearchResult {
  const members = state.usersOfOrganization(organizationId);
  const step = query.order === "asc" ? 1 : -1;
  let at = query.order === "asc" ? 0 : members.length - 1;
  if (query.after !== undefined) {
    const id = Buffer.from(query.after, "base64url").toString("utf8");
    // Decoding skips characters base64url does not use: only the cursor exactly as the fake wrote it counts.
    const position = Buffer.from(id, "utf8").toString("base64url") === query.after ? members.findIndex((user) => user.id === id) : -1;
    if (position < 0) return { ok: false, failure: "unknownCursor" };
    at = position + step;
  }
  const prefix = emailKey(query.email);
  const users: StoredUser[] = [];
  let hasMore = false;
  // One match past the page is enough to know more follow: the scan stops there.
  for (; at >= 0 && at < members.length; at += step) {
    const user = members[at]!;
    if (!emailKey(user.email).startsWith(prefix)) continue;
    if (users.length === query.limit) {
      hasMore = true;
      break;
    }
    users.push(user);
  }
  const last = users.at(-1);
  return { ok: true, users, hasMore, cursor: last ? cursorOf(last) : null };
}
