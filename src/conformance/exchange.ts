/**
 * @module conformance/exchange
 * One HTTP request to the target and its response, recorded for the checks, the reports and a curl line
 * that reproduces it. The API key is never recorded: it appears as $CV_API_KEY.
 */
import { UPDATE_PROFILE_PATH } from "../contract/contract.js";

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
  text: string;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  json: unknown;
  durationMs: number;
}

export interface Exchange {
  request: RecordedRequest;
  response?: RecordedResponse;
  /** A transport failure (refused, reset, timed out): the harness could not get an answer. */
  transportError?: string;
}

export interface RequestSpec {
  method: string;
  apiKey?: string;
  /** true when apiKey is the run's secret key (then it is redacted). */
  apiKeyIsSecret: boolean;
  contentType?: string;
  body?: string;
}

export const KEY_REFERENCE = "$CV_API_KEY";

export async function exchange(baseUrl: string, spec: RequestSpec, timeoutMs: number): Promise<Exchange> {
  const url = `${baseUrl.replace(/\/+$/, "")}${UPDATE_PROFILE_PATH}`;
  const headers: Record<string, string> = {};
  const recordedHeaders: Record<string, string> = {};
  if (spec.apiKey !== undefined) {
    headers["cv-api-key"] = spec.apiKey;
    recordedHeaders["cv-api-key"] = spec.apiKeyIsSecret ? KEY_REFERENCE : spec.apiKey;
  }
  if (spec.contentType !== undefined) {
    headers["content-type"] = spec.contentType;
    recordedHeaders["content-type"] = spec.contentType;
  }
  const request: RecordedRequest = { method: spec.method, url, headers: recordedHeaders, ...(spec.body !== undefined ? { body: spec.body } : {}) };
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: spec.method,
      headers,
      // A Buffer, so fetch adds no Content-Type of its own when a scenario sends none.
      body: spec.body === undefined ? undefined : Buffer.from(spec.body, "utf8"),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "manual",
    });
    const text = await response.text();
    return {
      request,
      response: {
        status: response.status,
        headers: Object.fromEntries(response.headers),
        text,
        json: parseJson(text),
        durationMs: Math.round(performance.now() - started),
      },
    };
  } catch (error) {
    return { request, transportError: describeTransportError(error, url, timeoutMs) };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describeTransportError(error: unknown, url: string, timeoutMs: number): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError") return `no answer from ${url} within ${timeoutMs} ms`;
  const cause = e.cause?.code ?? e.cause?.message ?? e.message;
  return `could not reach ${url} (${cause})`;
}

/** A curl command that sends the same request; the key comes from $CV_API_KEY. */
export function toCurl(request: RecordedRequest): string {
  const parts = [`curl -i -X ${request.method} ${shellQuote(request.url)}`];
  for (const [name, value] of Object.entries(request.headers)) {
    parts.push(value === KEY_REFERENCE ? `-H "${name}: ${KEY_REFERENCE}"` : `-H ${shellQuote(`${name}: ${value}`)}`);
  }
  if (request.body !== undefined) parts.push(`--data-raw ${shellQuote(request.body)}`);
  return parts.join(" ");
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
