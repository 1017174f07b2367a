/**
 * @module fake/core/request-journal
 * What the fake was sent, for tests that verify their app's requests (WireMock's request journal): a bounded ring of
 * the last requests, oldest first. Recording is cheap on purpose (bytes into a preallocated arena, written in batches,
 * no parsing, no object kept past the batch); an entry is turned into JSON only when someone reads the journal.
 */
import type { components } from "../../generated/openapi.js";
import type { FakeAnswer, FakeRequest } from "./fake-request.js";

export const DEFAULT_JOURNAL_SIZE = 1000;
/** A body is kept up to this size; a longer one is cut here and marked `bodyTruncated`. */
export const JOURNAL_BODY_LIMIT = 8 * 1024;
/** Names (of headers, query parameters, body fields) whose values are secrets: never kept in the journal. */
const SECRET_NAME = /key|token|secret|passw|auth|cookie|session|credential/i;
export const REDACTED = "[redacted]";
/**
 * Text held beyond the arena (large heads and bodies) stays under this many bytes: past it, the oldest entries are
 * dropped. Without it, 100,000 entries of 8 KiB bodies and 14 KB of headers held 2.35 GB.
 */
export const JOURNAL_BYTE_BUDGET = 64 * 1024 * 1024;
/** The most entries one read gives (a page: `_limit`, `_page`). */
export const MAX_JOURNAL_PAGE = 1000;

/** One request as the journal gives it back (JournalEntry in openapi.yaml). */
export type JournalEntry = components["schemas"]["JournalEntry"];

export interface JournalFilter {
  /** data.email of the request, in any letter case. */
  email?: string;
  status?: number;
  /** ISO 8601: requests that arrived at or after this time. */
  since?: string;
  /** At most this many entries (MAX_JOURNAL_PAGE when left out, and at most that). */
  limit?: number;
  /** Which page of `limit` entries, from 1. */
  page?: number;
}

export interface JournalOptions {
  /** See JOURNAL_BYTE_BUDGET. */
  byteBudget?: number;
  /** The API keys the fake knows now: a value equal to one is redacted wherever it appears. */
  secrets?: () => readonly string[];
}

/** What the proxy made of an exchange (ProxyVerdict in openapi.yaml); the fake's entries have none. */
export type ProxyVerdict = components["schemas"]["ProxyVerdict"];

/** The journal's entries and how full it is (RequestJournal in openapi.yaml). */
export type JournalPage = components["schemas"]["RequestJournal"];

/**
 * Each slot's text (path, query and headers as one line, then the body's bytes) lives in one preallocated byte
 * arena, and its numbers in typed arrays. A request the fake answered thus leaves no object behind: the journal
 * costs the garbage collector nothing, where keeping each request's objects alive for a thousand requests made them
 * outlive the young generation and grew the heap by tens of MB under load (see docs/benchmarks.md). A slot whose text
 * does not fit its share of the arena (a large body) keeps it as a string instead.
 */
const SLOT_BYTES = 1024;
/**
 * The arena stays under this many bytes: a journal of more than 32,768 entries gives each slot a smaller share (never
 * under 256), so more requests fall back to a string.
 */
const ARENA_BYTES = 32 * 1024 * 1024;
/** The largest journal: the arena's slots and the numbers beside them stay bounded. */
export const MAX_JOURNAL_SIZE = 100_000;

export class RequestJournal {
  private readonly slotBytes: number;
  private readonly arena: Uint8Array;
  private readonly ids: Float64Array;
  private readonly arrivals: Float64Array;
  private readonly durations: Float64Array;
  private readonly statuses: Int16Array;
  private readonly headLengths: Uint32Array;
  private readonly bodyLengths: Uint32Array;
  private readonly truncated: Uint8Array;
  /** Strings the fake holds anyway (methods, outcome names, organization ids): no allocation per request. */
  private readonly methods: string[];
  private readonly outcomes: string[];
  private readonly organizations: (string | undefined)[];
  /** Only the proxy gives verdicts: a map by slot costs the fake nothing. */
  private readonly verdicts = new Map<number, ProxyVerdict>();
  /** The text of a slot that does not fit its arena share: [head, body, its size in bytes]. */
  private readonly overflow = new Map<number, [string, string | undefined, number]>();
  private overflowBytes = 0;
  private readonly byteBudget: number;
  private readonly secrets: () => readonly string[];
  private next = 0;
  private count = 0;
  private sequence = 0;
  private droppedCount = 0;
  /** Recorded, not yet written (see record). */
  private readonly pending: Pending[] = [];
  private pendingBytes = 0;
  private flushScheduled = false;

  constructor(
    readonly capacity: number = DEFAULT_JOURNAL_SIZE,
    options: JournalOptions = {},
  ) {
    if (!Number.isInteger(capacity) || capacity < 0 || capacity > MAX_JOURNAL_SIZE) {
      throw new RangeError(`The journal size must be a whole number from 0 to ${MAX_JOURNAL_SIZE} (got ${capacity}); 0 turns it off.`);
    }
    this.byteBudget = options.byteBudget ?? JOURNAL_BYTE_BUDGET;
    this.secrets = options.secrets ?? (() => []);
    this.slotBytes = Math.max(256, Math.min(SLOT_BYTES, Math.floor(ARENA_BYTES / Math.max(1, capacity))));
    this.arena = new Uint8Array(capacity * this.slotBytes);
    this.ids = new Float64Array(capacity);
    this.arrivals = new Float64Array(capacity);
    this.durations = new Float64Array(capacity);
    this.statuses = new Int16Array(capacity);
    this.headLengths = new Uint32Array(capacity);
    this.bodyLengths = new Uint32Array(capacity);
    this.truncated = new Uint8Array(capacity);
    this.methods = new Array<string>(capacity).fill("");
    this.outcomes = new Array<string>(capacity).fill("");
    this.organizations = new Array<string | undefined>(capacity).fill(undefined);
  }

  get enabled(): boolean {
    return this.capacity > 0;
  }

  /** Bytes of request text held beyond the arena (at most the byte budget, but for the newest entry). */
  get heldBytes(): number {
    return this.overflowBytes;
  }

  /**
   * Notes a request. It is written into the arena a moment later, together with the others answered in the same
   * turn of the event loop (or at once when PENDING_LIMIT are waiting): one tight loop over a batch costs a fraction
   * of writing each between two socket writes, when the arena's memory and this code have left the CPU's caches.
   * Reading or clearing the journal writes what is pending first, so nothing is ever missing from a read.
   */
  record(
    request: FakeRequest,
    bytes: Uint8Array | undefined,
    answer: FakeAnswer,
    arrivedAt: number,
    organizationId?: string,
    verdict?: ProxyVerdict,
  ): void {
    if (this.capacity === 0) return;
    const durationMs = Math.max(0, Date.now() - arrivedAt) + (answer.delayMs ?? 0);
    this.pending.push({
      request,
      bytes,
      status: answer.effect ? -1 : answer.status,
      outcome: answer.outcome,
      arrivedAt,
      durationMs,
      organizationId,
      verdict,
    });
    this.pendingBytes += bytes?.length ?? 0;
    if (this.pending.length >= PENDING_LIMIT || this.pendingBytes >= PENDING_BYTES) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      later(this.flushLater);
    }
  }

  private readonly flushLater = (): void => this.flush();

  /**
   * Writes the pending requests into their slots, oldest first. Never throws: it runs after the request, where a
   * throw would end the process; an entry that cannot be written is left out and said on stderr.
   */
  private flush(): void {
    const pending = this.pending;
    for (let i = 0; i < pending.length; i++) {
      try {
        this.write(pending[i]!);
      } catch (error) {
        console.error("[cv-contract-kit] the request journal left out a request it could not record:", error);
      }
    }
    pending.length = 0;
    this.pendingBytes = 0;
    // Scheduled again by the next record, even if a scheduled flush never comes (a test's fake timers dropped it).
    this.flushScheduled = false;
  }

  private write({ request, bytes, status, outcome, arrivedAt, durationMs, organizationId, verdict }: Pending): void {
    const slot = this.next;
    if (this.count === this.capacity) this.droppedCount++;
    else this.count++;
    this.next = (this.next + 1) % this.capacity;

    const secrets = this.secrets().filter((s) => s.length > 0);
    const head = headText(request, secrets);
    const cut = bytes !== undefined && bytes.length > JOURNAL_BODY_LIMIT;
    const body = redactedBody(
      bytes === undefined ? undefined : cut ? bytes.subarray(0, utf8Boundary(bytes, JOURNAL_BODY_LIMIT)) : bytes,
      secrets,
      cut,
    );

    this.forget(slot);
    const at = slot * this.slotBytes;
    const written = encoder.encodeInto(head, this.arena.subarray(at, at + this.slotBytes));
    const bodyLength = body?.length ?? 0;
    if (written.read === head.length && written.written + bodyLength <= this.slotBytes) {
      this.headLengths[slot] = written.written;
      if (body) this.arena.set(body, at + written.written);
      this.bodyLengths[slot] = bodyLength;
    } else {
      const size = encoder.encode(head).length + bodyLength;
      this.overflow.set(slot, [head, body === undefined ? undefined : decoder.decode(body), size]);
      this.overflowBytes += size;
      // Over the budget: the oldest entries go (never the one just written).
      while (this.overflowBytes > this.byteBudget && this.count > 1) this.dropOldest();
    }
    this.ids[slot] = ++this.sequence;
    this.arrivals[slot] = arrivedAt;
    this.durations[slot] = durationMs;
    this.statuses[slot] = status;
    this.truncated[slot] = cut ? 1 : 0;
    this.methods[slot] = request.method;
    this.outcomes[slot] = outcome;
    this.organizations[slot] = organizationId;
    if (verdict) this.verdicts.set(slot, verdict);
    else this.verdicts.delete(slot);
  }

  private forget(slot: number): void {
    const old = this.overflow.get(slot);
    if (!old) return;
    this.overflowBytes -= old[2];
    this.overflow.delete(slot);
  }

  private dropOldest(): void {
    const oldest = (this.next - this.count + this.capacity) % this.capacity;
    this.forget(oldest);
    this.organizations[oldest] = undefined;
    this.verdicts.delete(oldest);
    this.count--;
    this.droppedCount++;
  }

  /** Oldest first, filtered, one page (MAX_JOURNAL_PAGE entries at most). */
  read(filter: JournalFilter = {}): JournalPage {
    return this.readPage(filter).page;
  }

  /** A page, and how many entries match the filter before paging. */
  readPage(filter: JournalFilter = {}): { page: JournalPage; matched: number } {
    this.flush();
    const since = filter.since === undefined ? undefined : Date.parse(filter.since);
    if (since !== undefined && Number.isNaN(since))
      throw new RangeError(`since must be an ISO 8601 date-time, e.g. ${new Date(0).toISOString()} (got ${filter.since})`);
    const limit = filter.limit ?? MAX_JOURNAL_PAGE;
    const page = filter.page ?? 1;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_JOURNAL_PAGE)
      throw new RangeError(`_limit must be a whole number from 1 to ${MAX_JOURNAL_PAGE} (got ${limit}): read more with _page`);
    if (!Number.isInteger(page) || page < 1) throw new RangeError(`_page must be a whole number, 1 or more (got ${page})`);
    const first = (page - 1) * limit;
    const email = filter.email?.toLowerCase();
    const requests: JournalEntry[] = [];
    let matched = 0;
    for (let i = 0; i < this.count; i++) {
      const slot = (this.next - this.count + i + this.capacity) % this.capacity;
      const status = this.statuses[slot] === -1 ? null : this.statuses[slot]!;
      if (filter.status !== undefined && status !== filter.status) continue;
      if (since !== undefined && this.arrivals[slot]! < since) continue;
      // Only the entries of the page are built (and an email filter's candidates): a read never holds the whole journal as JSON.
      const inPage = matched >= first && matched < first + limit;
      if (email === undefined && !inPage) {
        matched++;
        continue;
      }
      const entry = this.entry(slot, status);
      if (email !== undefined && emailOf(entry.body)?.toLowerCase() !== email) continue;
      if (inPage) requests.push(entry);
      matched++;
    }
    return { page: { requests, held: this.count, capacity: this.capacity, dropped: this.droppedCount }, matched };
  }

  /**
   * Visits every entry, oldest first, built one at a time (verification reads the whole journal without holding it
   * as JSON); `visit` returning false stops the walk.
   */
  scan(visit: (entry: JournalEntry) => boolean | void): void {
    this.flush();
    for (let i = 0; i < this.count; i++) {
      const slot = (this.next - this.count + i + this.capacity) % this.capacity;
      if (visit(this.entry(slot, this.statuses[slot] === -1 ? null : this.statuses[slot]!)) === false) return;
    }
  }

  clear(): void {
    this.pending.length = 0;
    this.pendingBytes = 0;
    this.overflow.clear();
    this.overflowBytes = 0;
    this.organizations.fill(undefined);
    this.verdicts.clear();
    this.next = 0;
    this.count = 0;
    this.sequence = 0;
    this.droppedCount = 0;
  }

  private entry(slot: number, status: number | null): JournalEntry {
    const at = slot * this.slotBytes;
    const [head, body] = this.overflow.get(slot) ?? [
      decoder.decode(this.arena.subarray(at, at + this.headLengths[slot]!)),
      this.bodyLengths[slot]
        ? decoder.decode(this.arena.subarray(at + this.headLengths[slot]!, at + this.headLengths[slot]! + this.bodyLengths[slot]!))
        : undefined,
    ];
    const [path, query, headers] = readHeadText(head);
    const organizationId = this.organizations[slot];
    const verdict = this.verdicts.get(slot);
    const entry: JournalEntry = {
      id: this.ids[slot]!,
      time: new Date(this.arrivals[slot]!).toISOString(),
      method: this.methods[slot]!,
      path,
      ...(query ? { query } : {}),
      headers,
      status,
      outcome: this.outcomes[slot]!,
      ...(organizationId ? { organizationId } : {}),
      durationMs: this.durations[slot]!,
      ...(verdict ? { verdict } : {}),
    };
    if (body === undefined || body.length === 0) return entry;
    if (this.truncated[slot]) return { ...entry, bodyText: body, bodyTruncated: true };
    try {
      entry.body = JSON.parse(body) as unknown;
    } catch {
      entry.bodyText = body;
    }
    return entry;
  }
}

/** The largest cut at or before `end` that splits no UTF-8 character (a continuation byte is 10xxxxxx). */
function utf8Boundary(bytes: Uint8Array, end: number): number {
  let at = end;
  while (at > 0 && end - at < 4 && (bytes[at]! & 0xc0) === 0x80) at--;
  return at;
}

/**
 * Path, query and headers as one line of text, the secrets already dropped: the journal never holds a key.
 * Separated by NUL, which neither node:http nor WHATWG Headers let into a path or header, and which costs far less
 * than JSON.stringify on every request. Should a NUL come anyway, the text is JSON instead (it starts with "[").
 */
function headText(request: FakeRequest, secrets: readonly string[]): string {
  const query = keptQuery(request.query, secrets);
  let text = SEPARATED + request.path + NUL + query;
  let clean = !request.path.includes(NUL) && !query.includes(NUL);
  for (const name in request.headers) {
    const kept = keptValue(name, request.headers[name], secrets);
    if (kept === undefined) continue;
    if (name.includes(NUL) || kept.includes(NUL)) clean = false;
    text += NUL + name + NUL + kept;
  }
  return clean ? text : JSON.stringify([request.path, query, keptHeaders(request, secrets)]);
}

function keptHeaders(request: FakeRequest, secrets: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name in request.headers) {
    const kept = keptValue(name, request.headers[name], secrets);
    if (kept !== undefined) headers[name] = kept;
  }
  return headers;
}

/** Whether a name (of a header, query parameter or body field) says its value is a secret; cached, names repeat. */
function secretName(name: string): boolean {
  let secret = secretNames.get(name);
  if (secret === undefined) {
    secret = SECRET_NAME.test(name);
    if (secretNames.size < 1024) secretNames.set(name, secret);
  }
  return secret;
}
const secretNames = new Map<string, boolean>();

/** The text with every known key in it replaced. */
function withoutSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

/** A header's value as the journal keeps it: a secret redacted; a repeated one (node:http gives set-cookie as a list)
 * joined with ", ", as node:http joins the others. */
function keptValue(name: string, value: unknown, secrets: readonly string[]): string | undefined {
  if (value === undefined) return undefined;
  if (secretName(name)) return REDACTED;
  return withoutSecrets(Array.isArray(value) ? value.join(", ") : String(value), secrets);
}

/** The query as the journal keeps it: the value of a secret-looking name, and any known key (also URL-encoded), redacted. */
function keptQuery(query: string, secrets: readonly string[]): string {
  if (query === "") return query;
  return query
    .split("&")
    .map((pair) => {
      const at = pair.indexOf("=");
      const rawName = at < 0 ? pair : pair.slice(0, at);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, " "));
      } catch {
        // not valid percent-encoding: judged as written
      }
      if (at >= 0 && secretName(name)) return `${rawName}=${REDACTED}`;
      return withoutSecrets(withoutSecrets(pair, secrets.map(encodeURIComponent)), secrets);
    })
    .join("&");
}

/** A body could hold a secret only if it names one or holds a key: checked on its bytes, so most bodies cost one scan. */
const BODY_SECRET_NAME = /key|token|secret|passw|auth|cookie|session|credential/i;

/**
 * The body as the journal keeps it: a JSON body's fields whose names look secret, and any string equal to or
 * holding a known key, redacted; a body that is not JSON (or was cut) has the keys replaced in its text.
 */
function redactedBody(bytes: Uint8Array | undefined, secrets: readonly string[], cut: boolean): Uint8Array | undefined {
  if (bytes === undefined || bytes.length === 0) return bytes;
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const holdsKey = secrets.some((s) => view.includes(s));
  if (!holdsKey && !BODY_SECRET_NAME.test(view.toString("latin1"))) return bytes;
  const text = decoder.decode(bytes);
  if (!cut) {
    try {
      const redacted = redactJson(JSON.parse(text) as unknown, secrets);
      return encoder.encode(JSON.stringify(redacted));
    } catch {
      // not JSON: its text, below
    }
  }
  // Not JSON, or cut: the value of each "name": "value" pair whose name looks secret, and the keys, replaced in the text.
  const redacted = withoutSecrets(
    text.replace(SECRET_PAIR, (pair: string, name: string, value: string) =>
      SECRET_NAME.test(name) ? pair.slice(0, pair.length - value.length) + JSON.stringify(REDACTED) : pair,
    ),
    secrets,
  );
  return redacted === text ? bytes : encoder.encode(redacted);
}

/** A JSON "name": "value" pair in text that may not parse (a body cut at the limit). */
const SECRET_PAIR = /"((?:[^"\\]|\\.)*)"\s*:\s*("(?:[^"\\]|\\.)*")/g;

function redactJson(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === "string") return withoutSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactJson(v, secrets));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [name, v] of Object.entries(value)) {
      Object.defineProperty(out, name, {
        value: secretName(name) && v !== null && typeof v !== "object" ? REDACTED : redactJson(v, secrets),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

function readHeadText(text: string): [path: string, query: string, headers: Record<string, string>] {
  if (!text.startsWith(SEPARATED)) return JSON.parse(text) as [string, string, Record<string, string>];
  const [path = "", query = "", ...pairs] = text.slice(SEPARATED.length).split(NUL);
  const headers: Record<string, string> = {};
  // defineProperty: a header named __proto__ stays a header (as JSON.parse keeps it), not the object's prototype.
  for (let i = 0; i + 1 < pairs.length; i += 2)
    Object.defineProperty(headers, pairs[i]!, { value: pairs[i + 1], enumerable: true, writable: true, configurable: true });
  return [path, query, headers];
}

const NUL = "\0";
/** The first character of a NUL-separated head text (a JSON one starts with "["). */
const SEPARATED = "\n";

/** At most this many requests, or bodies of this many bytes, wait to be written: their objects stay young (the
 * collector never keeps them), and the memory they hold stays small. */
const PENDING_LIMIT = 256;
const PENDING_BYTES = 1024 * 1024;

/** A request noted by record, until flush writes it. */
interface Pending {
  request: FakeRequest;
  bytes: Uint8Array | undefined;
  /** -1: the answer was a transport effect (hang, reset, empty), not a status. */
  status: number;
  outcome: string;
  arrivedAt: number;
  durationMs: number;
  organizationId: string | undefined;
  verdict: ProxyVerdict | undefined;
}

/** After the current turn of the event loop: setImmediate where there is one (Node), else a timer. */
const later: (run: () => void) => void = typeof setImmediate === "function" ? (run) => void setImmediate(run) : (run) => void setTimeout(run, 0);

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** data.email of a parsed request body, if it has one. */
export function emailOf(body: unknown): string | undefined {
  const data = (body as { data?: { email?: unknown } } | null | undefined)?.data;
  return typeof data?.email === "string" ? data.email : undefined;
}
