/**
 * @module fake/core/fake-request
 * A request and an answer as the fake's core sees them: plain data, no socket. The node:http adapter and the
 * in-process `fetch` both turn their own objects into these, and these back into bytes.
 */

export interface FakeRequest {
  /** Upper case, as sent. */
  method: string;
  /** The path without the query string, e.g. "/api/v1/users". */
  path: string;
  /** The query string without "?" ("" when there is none). */
  query: string;
  /** Header names in lower case; a repeated header joined with ", " (as node:http does). */
  headers: Readonly<Record<string, string | undefined>>;
}

/** How an answer leaves, beyond status and body: only a fault kind's `connection` sets these (src/fake/faults/define-fault.ts). */
export type TransportEffect = "hang" | "reset" | "empty";

export interface FakeAnswer {
  status: number;
  headers: Record<string, string>;
  /** A JSON value, serialized by the adapter. */
  body?: unknown;
  /** The body as JSON text already, instead of `body` (the success answer and the error envelope: see json-text). */
  json?: string;
  /** Bytes to send as they are instead of `body` (the malformed-JSON fault). */
  raw?: string;
  /** Wait this long before answering (a delay fault, or the fake's global delay). */
  delayMs?: number;
  /** Instead of answering: keep the connection open, reset it, or close it with no answer. */
  effect?: TransportEffect;
  /** What the request came to, for the journal: a message name of openapi.yaml, "success", or "fault:…". */
  outcome: string;
  /** Close the connection after this answer (its body was not read, and may never end). */
  close?: boolean;
}

/**
 * An answer now, or once the change it answers is on disk (persistence writes a turn's changes together): adapters
 * wait for it, then send it as any other.
 */
export type Answered = FakeAnswer | Promise<FakeAnswer>;

export const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

/** The answer's bytes and headers, as both adapters send them. */
export function serializeAnswer(answer: FakeAnswer): { text: string; headers: Record<string, string> } {
  const text = answer.raw ?? answer.json ?? (answer.body === undefined ? "" : JSON.stringify(answer.body));
  // Built key by key, not spread: this runs for every answer.
  const headers: Record<string, string> = { "content-type": JSON_CONTENT_TYPE, "content-length": String(Buffer.byteLength(text)) };
  if (answer.close) headers.connection = "close";
  for (const name in answer.headers) headers[name] = answer.headers[name]!;
  return { text, headers };
}
