/**
 * @module client/create-client
 * A typed client for the Update user profile endpoint, on openapi-fetch and the types generated from openapi.yaml.
 * It loads nothing else (no node:*, no server code), so it fits in a browser bundle.
 */
import createFetchClient, { type Client } from "openapi-fetch";
import type { components, paths } from "../generated/openapi.js";

export type UpdateProfileData = components["schemas"]["UpdateProfileData"];
export type UpdateProfileSuccess = components["schemas"]["UpdateProfileSuccess"];
export type ErrorEnvelope = components["schemas"]["ErrorEnvelope"];
export type User = components["schemas"]["User"];

/**
 * What updateUserProfile resolves to: the 200 body, or the failure. A failure is the error envelope when the answer
 * is JSON, or the answer's text when it is not (a proxy's HTML 502; "" when empty).
 */
export type UpdateProfileResult =
  { data: UpdateProfileSuccess; error?: never; response: Response } | { data?: never; error: ErrorEnvelope | string; response: Response };

export interface CareValidateClientOptions {
  /** e.g. http://127.0.0.1:4010 or https://api-staging.care360-next.carevalidate.com */
  baseUrl: string;
  /** Sent as the cv-api-key header. */
  apiKey: string;
  /** A fetch to use instead of the global one (an in-process fake's, a proxy's, a test's). */
  fetch?: typeof globalThis.fetch;
}

export interface CallOptions {
  /** Aborts the call. */
  signal?: AbortSignal;
  /** Aborts the call after this many milliseconds (a TimeoutError is thrown). */
  timeoutMs?: number;
}

export interface CareValidateClient {
  /**
   * POST /api/v1/users with action UPDATE_PROFILE. Never throws for an HTTP status: the result holds `data` (200)
   * or `error` (the envelope, or the text of an answer that is not JSON, even with a 200), and the raw `response`.
   * Only network failures, an abort and a timeout throw.
   * @example
   * const { data, error } = await client.updateUserProfile({ email: "ana@clinic-a.test", city: "Boston" }, { timeoutMs: 5000 });
   * if (error) console.log(failureKind(error)); // "userDoesNotExist", "demographicFieldsLocked", …
   */
  updateUserProfile(data: UpdateProfileData, options?: CallOptions): Promise<UpdateProfileResult>;
  /** The underlying openapi-fetch client, for middleware or other paths. */
  raw: Client<paths>;
}

/** Creates a typed client for one base URL and API key. */
export function createClient(options: CareValidateClientOptions): CareValidateClient {
  const raw = createFetchClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    headers: { "cv-api-key": options.apiKey },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return {
    raw,
    updateUserProfile: async (data, call = {}) => {
      // The timeout is a timer this call holds until it settles, not AbortSignal.timeout: a signal nothing references
      // once fetch has copied it can be collected before it fires (seen on Node 24), and the call then never ends.
      const timeout = call.timeoutMs === undefined ? undefined : new AbortController();
      const timer =
        timeout && setTimeout(() => timeout.abort(new DOMException(`no answer within ${call.timeoutMs} ms`, "TimeoutError")), call.timeoutMs);
      const signals = [call.signal, timeout?.signal].filter((s): s is AbortSignal => s !== undefined);
      const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
      let result: { data?: string; error?: unknown; response: Response };
      try {
        // Read as text and parsed here: a 200 whose body is not JSON (a proxy's page, a cut-off answer) is an error, not a throw.
        result = (await raw.POST("/api/v1/users", {
          body: { action: "UPDATE_PROFILE", data },
          parseAs: "text",
          ...(signal ? { signal } : {}),
        })) as typeof result;
      } finally {
        clearTimeout(timer);
      }
      if (result.data !== undefined) {
        try {
          return { data: JSON.parse(result.data) as unknown, response: result.response } as UpdateProfileResult;
        } catch {
          return { error: result.data, response: result.response } as UpdateProfileResult;
        }
      }
      // openapi-fetch leaves `error` undefined for an empty failure: say "" so the two branches stay apart.
      return { error: result.error ?? "", response: result.response } as UpdateProfileResult;
    },
  };
}
