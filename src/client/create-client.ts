/**
 * @module client/create-client
 * A typed client for the Update user profile endpoint, on openapi-fetch and the types generated from openapi.yaml.
 */
import createFetchClient, { type Client } from "openapi-fetch";
import type { components, paths } from "../generated/openapi.js";

export type UpdateProfileData = components["schemas"]["UpdateProfileData"];
export type UpdateProfileSuccess = components["schemas"]["UpdateProfileSuccess"];
export type ErrorEnvelope = components["schemas"]["ErrorEnvelope"];
export type User = components["schemas"]["User"];

/** What updateUserProfile resolves to: the 200 body, or the error envelope of any other status. */
export type UpdateProfileResult =
  | { data: UpdateProfileSuccess; error?: never; response: Response }
  | { data?: never; error: ErrorEnvelope; response: Response };

export interface CareValidateClientOptions {
  /** e.g. http://127.0.0.1:4010 or https://api-staging.care360-next.carevalidate.com */
  baseUrl: string;
  /** Sent as the cv-api-key header. */
  apiKey: string;
  /** A fetch to use instead of the global one (for tests or proxies). */
  fetch?: typeof globalThis.fetch;
}

export interface CareValidateClient {
  /**
   * POST /api/v1/users with action UPDATE_PROFILE. Never throws for an HTTP status: the result holds
   * `data` (200) or `error` (the documented error envelope), and the raw `response`. Only network failures throw.
   * @example
   * const { data, error } = await client.updateUserProfile({ email: "ana@clinic-a.test", city: "Boston" });
   */
  updateUserProfile(data: UpdateProfileData): Promise<UpdateProfileResult>;
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
    updateUserProfile: async (data) =>
      (await raw.POST("/api/v1/users", { body: { action: "UPDATE_PROFILE", data } })) as UpdateProfileResult,
  };
}
