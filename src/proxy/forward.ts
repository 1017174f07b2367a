/**
 * @module proxy/forward
 * One request sent to the deployment once, never retried (a write retried could be applied twice), with a timeout,
 * and its answer read up to a cap: the proxy never holds more than the cap of an answer.
 */
import { readBounded } from "../conformance/bounded-body.js";

export interface UpstreamRequest {
  url: string;
  method: string;
  headers: Readonly<Record<string, string | undefined>>;
  body?: Uint8Array;
}

export type UpstreamResult =
  | { kind: "answer"; status: number; headers: Record<string, string>; bytes: Buffer }
  | { kind: "unreachable"; reason: string }
  | { kind: "timeout" }
  | { kind: "tooLarge" };

/** Hop-by-hop headers (RFC 9110 §7.6.1) and those fetch sets itself: not forwarded. */
const NOT_FORWARDED = new Set([
  "host",
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
  "content-length",
  "expect",
]);
/** fetch decompresses the answer and sets its length itself: the client gets the plain bytes. */
const NOT_RELAYED = new Set(["connection", "keep-alive", "transfer-encoding", "content-encoding", "content-length"]);

export async function forwardOnce(request: UpstreamRequest, options: { timeoutMs: number; answerLimit: number }): Promise<UpstreamResult> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || NOT_FORWARDED.has(name)) continue;
    try {
      headers.append(name, value);
    } catch {
      // a value fetch refuses (node:http let it through): left out rather than failing the request
    }
  }
  const signal = AbortSignal.timeout(options.timeoutMs);
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers,
      redirect: "manual", // a redirect is the deployment's answer, for the client to follow
      signal,
      ...(request.body !== undefined && request.method !== "GET" && request.method !== "HEAD" ? { body: request.body } : {}),
    });
  } catch (error) {
    if (signal.aborted) return { kind: "timeout" };
    return { kind: "unreachable", reason: reasonOf(error) };
  }
  let body: { bytes: Buffer; truncated: boolean };
  try {
    body = await readBounded(response.body, options.answerLimit);
  } catch (error) {
    if (signal.aborted) return { kind: "timeout" };
    return { kind: "unreachable", reason: reasonOf(error) };
  }
  if (body.truncated) return { kind: "tooLarge" };
  const relayed: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!NOT_RELAYED.has(name)) relayed[name] = value;
  });
  return { kind: "answer", status: response.status, headers: relayed, bytes: body.bytes };
}

/** A short cause (ECONNREFUSED, ENOTFOUND…), never the URL or a stack. */
function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  if (typeof cause?.code === "string") return cause.code;
  return error instanceof Error && error.name !== "Error" ? error.name : "no answer";
}
