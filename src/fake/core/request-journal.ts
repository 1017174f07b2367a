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
/** Headers whose values are secrets: never kept in the journal. */
const SECRET_HEADERS = new Set(["cv-api-key", "authorization", "proxy-authorization", "cookie"]);
export const REDACTED = "[redacted]";

/** One request as the journal gives it back (JournalEntry in openapi.yaml). */
export type JournalEntry = components["schemas"]["JournalEntry"];

export interface JournalFilter {
  /** data.email of the request, in any letter case. */
  email?: string;
  status?: number;
  /** ISO 8601: requests that arrived at or after this time. */
  since?: string;
}

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
  /** The text of a slot that does not fit its arena share: [head, body]. */
  private readonly overflow = new Map<number, [string, string | undefined]>();
  private next = 0;
  private count = 0;
  private sequence = 0;
  private droppedCount = 0;
  /** Recorded, not yet written (see record). */
  private readonly pending: Pending[] = [];
  private pendingBytes = 0;
  private flushScheduled = false;

  constructor(readonly capacity: number = DEFAULT_JOURNAL_SIZE) {
    if (!Number.isInteger(capacity) || capacity < 0 || capacity > MAX_JOURNAL_SIZE) {
      throw new RangeError(`The journal size must be a whole number from 0 to ${MAX_JOURNAL_SIZE} (got ${capacity}); 0 turns it off.`);
    }
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

  /**
   * Notes a request. It is written into the arena a moment later, together with the others answered in the same
   * turn of the event loop (or at once when PENDING_LIMIT are waiting): one tight loop over a batch costs a fraction
   * of writing each between two socket writes, when the arena's memory and this code have left the CPU's caches.
   * Reading or clearing the journal writes what is pending first, so nothing is ever missing from a read.
   */
  record(request: FakeRequest, bytes: Uint8Array | undefined, answer: FakeAnswer, arrivedAt: number, organizationId?: string): void {
    if (this.capacity === 0) return;
    const durationMs = Math.max(0, Date.now() - arrivedAt) + (answer.delayMs ?? 0);
    this.pending.push({ request, bytes, status: answer.effect ? -1 : answer.status, outcome: answer.outcome, arrivedAt, durationMs, organizationId });
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

  private write({ request, bytes, status, outcome, arrivedAt, durationMs, organizationId }: Pending): void {
    const slot = this.next;
    if (this.count === this.capacity) this.droppedCount++;
    else this.count++;
    this.next = (this.next + 1) % this.capacity;

    const head = headText(request);
    const cut = bytes !== undefined && bytes.length > JOURNAL_BODY_LIMIT;
    const body = bytes === undefined ? undefined : cut ? bytes.subarray(0, utf8Boundary(bytes, JOURNAL_BODY_LIMIT)) : bytes;

    this.overflow.delete(slot);
    const at = slot * this.slotBytes;
    const written = encoder.encodeInto(head, this.arena.subarray(at, at + this.slotBytes));
    const bodyLength = body?.length ?? 0;
    if (written.read === head.length && written.written + bodyLength <= this.slotBytes) {
      this.headLengths[slot] = written.written;
      if (body) this.arena.set(body, at + written.written);
      this.bodyLengths[slot] = bodyLength;
    } else {
      this.overflow.set(slot, [head, body === undefined ? undefined : decoder.decode(body)]);
    }
    this.ids[slot] = ++this.sequence;
    this.arrivals[slot] = arrivedAt;
    this.durations[slot] = durationMs;
    this.statuses[slot] = status;
    this.truncated[slot] = cut ? 1 : 0;
    this.methods[slot] = request.method;
    this.outcomes[slot] = outcome;
    this.organizations[slot] = organizationId;
  }

  /** Oldest first, filtered. */
  read(filter: JournalFilter = {}): JournalPage {
    this.flush();
    const since = filter.since === undefined ? undefined : Date.parse(filter.since);
    if (since !== undefined && Number.isNaN(since)) throw new RangeError(`since must be an ISO 8601 date-time, e.g. ${new Date(0).toISOString()} (got ${filter.since})`);
    const email = filter.email?.toLowerCase();
    const requests: JournalEntry[] = [];
    for (let i = 0; i < this.count; i++) {
      const slot = (this.next - this.count + i + this.capacity) % this.capacity;
      const status = this.statuses[slot] === -1 ? null : this.statuses[slot]!;
      if (filter.status !== undefined && status !== filter.status) continue;
      if (since !== undefined && this.arrivals[slot]! < since) continue;
      const entry = this.entry(slot, status);
      if (email !== undefined && emailOf(entry.body)?.toLowerCase() !== email) continue;
      requests.push(entry);
    }
    return { requests, held: this.count, capacity: this.capacity, dropped: this.droppedCount };
  }

  clear(): void {
    this.pending.length = 0;
    this.pendingBytes = 0;
    this.overflow.clear();
    this.organizations.fill(undefined);
    this.next = 0;
    this.count = 0;
    this.sequence = 0;
    this.droppedCount = 0;
  }

  private entry(slot: number, status: number | null): JournalEntry {
    const at = slot * this.slotBytes;
    const [head, body] =
      this.overflow.get(slot) ??
      [decoder.decode(this.arena.subarray(at, at + this.headLengths[slot]!)), this.bodyLengths[slot] ? decoder.decode(this.arena.subarray(at + this.headLengths[slot]!, at + this.headLengths[slot]! + this.bodyLengths[slot]!)) : undefined];
    const [path, query, headers] = readHeadText(head);
    const organizationId = this.organizations[slot];
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
function headText(request: FakeRequest): string {
  let text = SEPARATED + request.path + NUL + request.query;
  let clean = !request.path.includes(NUL) && !request.query.includes(NUL);
  for (const name in request.headers) {
    const kept = keptValue(name, request.headers[name]);
    if (kept === undefined) continue;
    if (name.includes(NUL) || kept.includes(NUL)) clean = false;
    text += NUL + name + NUL + kept;
  }
  return clean ? text : JSON.stringify([request.path, request.query, keptHeaders(request)]);
}

function keptHeaders(request: FakeRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name in request.headers) {
    const kept = keptValue(name, request.headers[name]);
    if (kept !== undefined) headers[name] = kept;
  }
  return headers;
}

/** A header's value as the journal keeps it: a secret redacted; a repeated one (node:http gives set-cookie as a list)
 * joined with ", ", as node:http joins the others. */
function keptValue(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (SECRET_HEADERS.has(name)) return REDACTED;
  return Array.isArray(value) ? value.join(", ") : String(value);
}

function readHeadText(text: string): [path: string, query: string, headers: Record<string, string>] {
  if (!text.startsWith(SEPARATED)) return JSON.parse(text) as [string, string, Record<string, string>];
  const [path = "", query = "", ...pairs] = text.slice(SEPARATED.length).split(NUL);
  const headers: Record<string, string> = {};
  // defineProperty: a header named __proto__ stays a header (as JSON.parse keeps it), not the object's prototype.
  for (let i = 0; i + 1 < pairs.length; i += 2) Object.defineProperty(headers, pairs[i]!, { value: pairs[i + 1], enumerable: true, writable: true, configurable: true });
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
