/**
 * @module fake/core/request-journal
 * What the fake was sent, for tests that verify their app's requests (WireMock's request journal): a bounded ring of
 * the last requests, oldest first. Recording is cheap on purpose (a copy of the body's bytes, no parsing); an entry
 * is turned into JSON only when someone reads the journal.
 */
import type { FakeAnswer, FakeRequest } from "./fake-request.js";

export const DEFAULT_JOURNAL_SIZE = 1000;
/** A body is kept up to this size; a longer one is cut here and marked `bodyTruncated`. */
export const JOURNAL_BODY_LIMIT = 8 * 1024;
/** Headers whose values are secrets: never kept in the journal. */
const SECRET_HEADERS = new Set(["cv-api-key", "authorization", "proxy-authorization", "cookie"]);
export const REDACTED = "[redacted]";

export interface JournalEntry {
  /** Counts up from 1 since the fake started (or since the journal was last cleared). */
  id: number;
  /** When the request arrived, ISO 8601. */
  time: string;
  method: string;
  path: string;
  /** The query string, without "?", when there was one. */
  query?: string;
  /** As received, names in lower case; cv-api-key, Authorization and Cookie replaced by "[redacted]". */
  headers: Record<string, string>;
  /** The body, parsed, when it was JSON. */
  body?: unknown;
  /** The body as text, when it was not JSON (or was cut). */
  bodyText?: string;
  bodyTruncated?: boolean;
  /** The status answered; null when a fault answered with no status (hang, reset, empty). */
  status: number | null;
  /** What it came to: "success", the name of a message of openapi.yaml (e.g. "phoneNumberInUse"), or "fault:…". */
  outcome: string;
  /** The organization of the API key, when the key was known. */
  organizationId?: string;
  /** From the request's arrival to its answer (a delay included), in milliseconds. */
  durationMs: number;
}

export interface JournalFilter {
  /** data.email of the request, in any letter case. */
  email?: string;
  status?: number;
  /** ISO 8601: requests that arrived at or after this time. */
  since?: string;
}

export interface JournalPage {
  requests: JournalEntry[];
  /** How many entries the journal holds now, before filtering. */
  held: number;
  /** How many it keeps at most (0: the journal is off). */
  capacity: number;
  /** How many older entries were dropped to keep within capacity, since the last clear. */
  dropped: number;
}

interface Recorded {
  id: number;
  arrivedAt: number;
  request: FakeRequest;
  /** The body as received (cut at JOURNAL_BODY_LIMIT bytes). */
  body: string | undefined;
  truncated: boolean;
  status: number | null;
  outcome: string;
  organizationId: string | undefined;
  durationMs: number;
}

const text = new TextDecoder();

export class RequestJournal {
  private readonly ring: (Recorded | undefined)[];
  private next = 0;
  private count = 0;
  private sequence = 0;
  private droppedCount = 0;

  constructor(readonly capacity: number = DEFAULT_JOURNAL_SIZE) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`The journal size must be a whole number, 0 or more (got ${capacity}); 0 turns it off.`);
    this.ring = new Array<Recorded | undefined>(capacity);
  }

  get enabled(): boolean {
    return this.capacity > 0;
  }

  record(request: FakeRequest, bytes: Uint8Array | undefined, answer: FakeAnswer, arrivedAt: number, organizationId?: string): void {
    if (this.capacity === 0) return;
    const truncated = bytes !== undefined && bytes.length > JOURNAL_BODY_LIMIT;
    // Kept as text: a string lives in the JS heap, where a copy of the bytes would be one more off-heap buffer per
    // request (and a view would keep the socket's whole read buffer alive).
    const kept = bytes === undefined || bytes.length === 0 ? undefined : text.decode(truncated ? bytes.subarray(0, JOURNAL_BODY_LIMIT) : bytes);
    if (this.count === this.capacity) this.droppedCount++;
    else this.count++;
    this.ring[this.next] = {
      id: ++this.sequence,
      arrivedAt,
      request,
      body: kept,
      truncated,
      status: answer.effect ? null : answer.status,
      outcome: answer.outcome,
      organizationId,
      durationMs: Math.max(0, Date.now() - arrivedAt) + (answer.delayMs ?? 0),
    };
    this.next = (this.next + 1) % this.capacity;
  }

  /** Oldest first, filtered. */
  read(filter: JournalFilter = {}): JournalPage {
    const since = filter.since === undefined ? undefined : Date.parse(filter.since);
    if (since !== undefined && Number.isNaN(since)) throw new RangeError(`since must be an ISO 8601 date-time, e.g. ${new Date(0).toISOString()} (got ${filter.since})`);
    const email = filter.email?.toLowerCase();
    const requests: JournalEntry[] = [];
    for (let i = 0; i < this.count; i++) {
      const recorded = this.ring[(this.next - this.count + i + this.capacity) % this.capacity]!;
      if (filter.status !== undefined && recorded.status !== filter.status) continue;
      if (since !== undefined && recorded.arrivedAt < since) continue;
      const entry = toEntry(recorded);
      if (email !== undefined && emailOf(entry.body)?.toLowerCase() !== email) continue;
      requests.push(entry);
    }
    return { requests, held: this.count, capacity: this.capacity, dropped: this.droppedCount };
  }

  clear(): void {
    this.ring.fill(undefined);
    this.next = 0;
    this.count = 0;
    this.sequence = 0;
    this.droppedCount = 0;
  }
}

/** data.email of a parsed request body, if it has one. */
export function emailOf(body: unknown): string | undefined {
  const data = (body as { data?: { email?: unknown } } | null | undefined)?.data;
  return typeof data?.email === "string" ? data.email : undefined;
}


function toEntry(recorded: Recorded): JournalEntry {
  const { request } = recorded;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = SECRET_HEADERS.has(name) ? REDACTED : value;
  }
  const entry: JournalEntry = {
    id: recorded.id,
    time: new Date(recorded.arrivedAt).toISOString(),
    method: request.method,
    path: request.path,
    ...(request.query ? { query: request.query } : {}),
    headers,
    status: recorded.status,
    outcome: recorded.outcome,
    ...(recorded.organizationId ? { organizationId: recorded.organizationId } : {}),
    durationMs: recorded.durationMs,
  };
  if (recorded.body !== undefined) {
    const decoded = recorded.body;
    if (recorded.truncated) return { ...entry, bodyText: decoded, bodyTruncated: true };
    try {
      entry.body = JSON.parse(decoded) as unknown;
    } catch {
      entry.bodyText = decoded;
    }
  }
  return entry;
}
