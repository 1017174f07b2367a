/**
 * @module conformance/read-profile
 * Reads one profile: through the vendor's search endpoint where the target offers it (a read that writes
 * nothing), else with an update that sends only the email (it changes no field on a target that follows the page,
 * but it is an update call: audit logs, updatedAt and webhooks may fire).
 */
import { keyOf, type Access, type Key, type ReadMethod } from "./access.js";
import type { Exchange, RequestSpec } from "./exchange.js";
import type { Transport } from "./transport.js";

export type Profile = Record<string, unknown>;

export interface ReadResult {
  exchange: Exchange;
  /** Every exchange of the read (a search may take several pages). */
  exchanges: Exchange[];
  /** The user, when the target showed it. */
  profile?: Profile;
  /** The target refused to show it (a 4xx, or a search that does not find it in the key's organization). */
  refused?: string;
}

/** Pages of a search followed at most before the account counts as not found. */
const MAX_SEARCH_PAGES = 10;

export function updateRequest(key: Key, data: Record<string, unknown>): RequestSpec {
  return {
    method: "POST",
    apiKey: key.value,
    keyReference: key.reference,
    contentType: "application/json",
    body: JSON.stringify({ action: "UPDATE_PROFILE", data }),
  };
}

/** GET /api/v1/users?email= (the vendor's "Search users": within the key's organization, email a prefix filter). */
export function searchRequest(key: Key, email: string, after?: string): RequestSpec {
  const query = new URLSearchParams({ email, ...(after ? { after } : {}) }).toString();
  return { method: "GET", apiKey: key.value, keyReference: key.reference, query };
}

/** Reads an account of the target file with its own key; an account no key of the run can read is refused. */
export async function readAccount(access: Access, account: string): Promise<ReadResult> {
  const key = keyOf(access, account);
  const email = access.target.accounts[account]!.email;
  if (!key)
    return {
      exchange: { request: { method: "GET", url: "", headers: {} } },
      exchanges: [],
      refused: "no key of this run can read it (name otherOrganization in the target file)",
    };
  return readWith(access.transport, key, email, access.readMethod);
}

export async function readWith(transport: Transport, key: Key, email: string, method: ReadMethod): Promise<ReadResult> {
  return method === "search" ? searchFor(transport, key, email) : readByUpdate(transport, key, email);
}

async function readByUpdate(transport: Transport, key: Key, email: string): Promise<ReadResult> {
  const ex = await transport.send(updateRequest(key, { email }), "transient");
  const response = ex.response;
  const body = response?.json as { message?: unknown; error?: unknown; data?: { user?: unknown } } | undefined;
  const user = profileIn(body);
  // Read liberally (any 2xx, the user at data.user or at data), judged strictly: the checks say what is off.
  if (response && response.status >= 200 && response.status < 300 && user) return { exchange: ex, exchanges: [ex], profile: user };
  if (response && response.status >= 400 && response.status < 500 && response.status !== 429 && body !== null && typeof body === "object") {
    const words = typeof body.message === "string" ? body.message : typeof body.error === "string" ? body.error : response.text.slice(0, 120);
    return { exchange: ex, exchanges: [ex], refused: `${response.status} ${words}` };
  }
  return { exchange: ex, exchanges: [ex] };
}

/** The user an update's answer carries: at data.user, as the page writes it, or at data. */
export function profileIn(body: { data?: unknown } | undefined): Profile | undefined {
  const data = body?.data as { user?: unknown; email?: unknown } | undefined;
  const user = data?.user ?? (typeof data?.email === "string" ? data : undefined);
  return user !== null && typeof user === "object" && !Array.isArray(user) ? (user as Profile) : undefined;
}

/** The search's users, when the answer is one: {data: [...]} (and meta.cursor while meta.hasMore). */
export function searchPage(ex: Exchange): { users: Profile[]; cursor?: string } | undefined {
  const body =
    ex.response?.status === 200 ? (ex.response.json as { data?: unknown; meta?: { hasMore?: unknown; cursor?: unknown } } | undefined) : undefined;
  if (!body || !Array.isArray(body.data)) return undefined;
  const users = body.data.filter((u): u is Profile => u !== null && typeof u === "object" && typeof (u as Profile).email === "string");
  const cursor = body.meta?.hasMore === true && typeof body.meta.cursor === "string" && body.meta.cursor !== "" ? body.meta.cursor : undefined;
  return { users, ...(cursor ? { cursor } : {}) };
}

async function searchFor(transport: Transport, key: Key, email: string): Promise<ReadResult> {
  const exchanges: Exchange[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_SEARCH_PAGES; page++) {
    const ex = await transport.send(searchRequest(key, email, after), "transient");
    exchanges.push(ex);
    const found = searchPage(ex);
    if (!found) return { exchange: ex, exchanges };
    // email is a prefix filter: the account is the user whose email is this one, in any letter case.
    const user = found.users.find((u) => String(u.email).toLowerCase() === email.toLowerCase());
    if (user) return { exchange: ex, exchanges, profile: user };
    if (!found.cursor || found.cursor === after) break;
    after = found.cursor;
  }
  return { exchange: exchanges.at(-1)!, exchanges, refused: "the search of the key's organization does not find it" };
}

/** How an answer reads in one line, for messages. */
export function describeAnswer(ex: Exchange): string {
  if (!ex.response) return ex.transportError ?? "no answer";
  const body = ex.response.json as { message?: unknown; error?: unknown } | undefined;
  const words = typeof body?.message === "string" ? body.message : typeof body?.error === "string" ? body.error : undefined;
  if (words !== undefined) return `${ex.response.status} "${words}"`;
  const type = ex.response.headers["content-type"] ?? "no Content-Type";
  return `${ex.response.status} ${type} ${JSON.stringify(ex.response.text.slice(0, 80))}`;
}
