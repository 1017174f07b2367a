/**
 * @module conformance/exchange
 * One HTTP request to the target and its response, recorded for the checks, the reports and a curl line that
 * reproduces it. The target is reached only through a base URL and a `fetch` (any WHATWG fetch: the global one, or
 * an in-process one). The API key is never recorded: it appears as $CV_API_KEY, and whatever the target echoes is
 * redacted as soon as it is read. The body is read up to a cap, and the timeout covers the whole exchange.
 */
import { UPDATE_PROFILE_PATH } from "../contract/contract.js";
import { MAX_RESPONSE_BYTES, readBounded } from "./bounded-body.js";
import { createRedactor, createSecretFinder, redactValue } from "./redact.js";

export interface RecordedRequest {
  method: string;
  url: string;
  /** Headers as sent, the key replaced by a reference to $CV_API_KEY. */
  headers: Record<string, string>;
  body?: string;
}

export interface RecordedResponse {
  status: number;
  headers: Record<string, string>;
  /** The body as text, key redacted; cut at the cap when `truncated`. */
  text: string;
  /** The parsed JSON body (key redacted), or undefined when the body is not JSON. */
  json: unknown;
  durationMs: number;
  /** The body was larger than the cap: the rest was never read. */
  truncated?: boolean;
  /** The answer carried one of the API keys the request sent (before redaction). */
  echoesKey?: boolean;
}

export type TransportFailure = "timeout" | "refused" | "other";

export interface Exchange {
  request: RecordedRequest;
  response?: RecordedResponse;
  /** A transport failure (refused, reset, timed out): the harness could not get an answer. */
  transportError?: string;
  transportFailure?: TransportFailure;
}

export interface RequestSpec {
  method: string;
  apiKey?: string;
  /** How the key is written in reports and curl lines when it is one of the run's secrets ($CV_API_KEY); else it is recorded redacted. */
  keyReference?: string;
  contentType?: string;
  body?: string;
  /** A query string (without "?"), for the vendor's search endpoint on the same path. */
  query?: string;
}

export interface ExchangeOptions {
  baseUrl: string;
  timeoutMs: number;
  /** Any WHATWG fetch; the global one by default. */
  fetch?: typeof fetch;
  /** Texts that must never be recorded (the run's API key). */
  secrets?: readonly string[];
  maxBodyBytes?: number;
}

export const KEY_REFERENCE = "$CV_API_KEY";

/** What a report keeps of one answer: enough to read it, not a megabyte per request for a whole run. */
export const MAX_RECORDED_TEXT = 64 * 1024;

/** The exchange as results keep it: an answer longer than MAX_RECORDED_TEXT is cut (and its parsed JSON dropped). */
export function forRecord(ex: Exchange): Exchange {
  const response = ex.response;
  if (!response || response.text.length <= MAX_RECORDED_TEXT) return ex;
  const { json: _json, ...rest } = response;
  return {
    ...ex,
    response: {
      ...rest,
      json: undefined,
      text: `${response.text.slice(0, MAX_RECORDED_TEXT)}… (${response.text.length} characters; the rest is not kept)`,
    },
  };
}

export function endpointUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, "")}${UPDATE_PROFILE_PATH}`;
}

export async function exchange(spec: RequestSpec, options: ExchangeOptions): Promise<Exchange> {
  const url = `${endpointUrl(options.baseUrl)}${spec.query ? `?${spec.query}` : ""}`;
  const redact = redactorFor(options);
  const headers: Record<string, string> = {};
  const recordedHeaders: Record<string, string> = {};
  if (spec.apiKey !== undefined) {
    headers["cv-api-key"] = spec.apiKey;
    recordedHeaders["cv-api-key"] = spec.keyReference ?? redact(spec.apiKey);
  }
  if (spec.contentType !== undefined) {
    headers["content-type"] = spec.contentType;
    recordedHeaders["content-type"] = spec.contentType;
  }
  const request: RecordedRequest = {
    method: spec.method,
    url,
    headers: recordedHeaders,
    ...(spec.body !== undefined ? { body: redact(spec.body) } : {}),
  };
  const started = performance.now();
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await (options.fetch ?? fetch)(url, {
      method: spec.method,
      headers,
      // A Buffer, so fetch adds no Content-Type of its own when a scenario sends none.
      body: spec.body === undefined ? undefined : Buffer.from(spec.body, "utf8"),
      signal,
      // A redirect is reported, never followed: following one would resend the key to another place.
      redirect: "manual",
    });
    const { bytes, truncated } = await readBounded(response.body, options.maxBodyBytes ?? MAX_RESPONSE_BYTES);
    const raw = bytes.toString("utf8");
    const rawHeaders = Object.fromEntries(response.headers);
    const sentKeys = spec.apiKey !== undefined && spec.apiKey.length >= 8 ? [spec.apiKey] : [];
    return {
      request,
      response: {
        status: response.status,
        headers: redactValue(rawHeaders, redact),
        text: redact(raw),
        json: truncated ? undefined : redactValue(parseJson(raw), redact),
        durationMs: Math.round(performance.now() - started),
        ...(truncated ? { truncated: true } : {}),
        ...(sentKeys.some((key) => echoes(raw, rawHeaders, key)) ? { echoesKey: true } : {}),
      },
    };
  } catch (error) {
    const { failure, message } = describeTransportError(error, url, options.timeoutMs, signal);
    return { request, transportError: redact(message), transportFailure: failure };
  }
}

/** One redactor per set of options (a transport's): building one for every request cost more than the request. */
const redactors = new WeakMap<ExchangeOptions, ReturnType<typeof createRedactor>>();
function redactorFor(options: ExchangeOptions) {
  let redact = redactors.get(options);
  if (!redact) redactors.set(options, (redact = createRedactor(options.secrets ?? [])));
  return redact;
}

/** The key, or a piece of it, in any form, anywhere in the answer. */
function echoes(text: string, headers: Record<string, string>, key: string): boolean {
  const holds = echoFinder(key);
  return holds(text) || Object.values(headers).some(holds);
}

/** A run sends one or two keys: their finders are built once, not for every answer. */
const echoFinders = new Map<string, ReturnType<typeof createSecretFinder>>();
function echoFinder(key: string) {
  let holds = echoFinders.get(key);
  if (!holds) {
    if (echoFinders.size > 16) echoFinders.clear();
    echoFinders.set(key, (holds = createSecretFinder([key])));
  }
  return holds;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describeTransportError(error: unknown, url: string, timeoutMs: number, signal: AbortSignal): { failure: TransportFailure; message: string } {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError" || (signal.aborted && (signal.reason as Error | undefined)?.name === "TimeoutError")) {
    return { failure: "timeout", message: `no answer from ${url} within ${timeoutMs} ms` };
  }
  const code = e.cause?.code;
  // undici's codes, in words a person can act on.
  const words: Record<string, [TransportFailure, string]> = {
    ECONNREFUSED: ["refused", "connection refused: nothing listens there"],
    ENOTFOUND: ["refused", "no such host"],
    EAI_AGAIN: ["refused", "the host name could not be resolved"],
    ECONNRESET: ["refused", "the connection was reset"],
    UND_ERR_SOCKET: ["refused", "the connection was closed before an answer"],
    UND_ERR_CONNECT_TIMEOUT: ["timeout", "the connection could not be opened in time"],
    UND_ERR_HEADERS_TIMEOUT: ["timeout", "no headers came back in time"],
    UND_ERR_BODY_TIMEOUT: ["timeout", "the answer stopped half-way"],
    UND_ERR_HEADERS_OVERFLOW: ["other", "the answer's headers are larger than a client accepts"],
  };
  const [failure, reason]: [TransportFailure, string] = (code ? words[code] : undefined) ?? ["other", e.cause?.message ?? e.message];
  return { failure, message: `could not get an answer from ${url}: ${reason}${code ? ` (${code})` : ""}` };
}

/** A curl command that sends the same request; the key comes from $CV_API_KEY (or the variable that names it). */
export function toCurl(request: RecordedRequest): string {
  const parts = [`curl -i -X ${request.method} ${shellQuote(request.url)}`];
  for (const [name, value] of Object.entries(request.headers)) {
    parts.push(/^\$[A-Z][A-Z0-9_]*$/.test(value) && name === "cv-api-key" ? `-H "${name}: ${value}"` : `-H ${shellQuote(`${name}: ${value}`)}`);
  }
  if (request.body !== undefined) parts.push(`--data-raw ${shellQuote(request.body)}`);
  return parts.join(" ");
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
