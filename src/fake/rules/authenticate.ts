/**
 * @module fake/rules/authenticate
 * The cv-api-key resolves to one organization (inferred: the page only says the key is Required).
 */
import type { StateView } from "../state/state-index.js";

export type AuthResult = { ok: true; organizationId: string } | { ok: false; failure: "missingApiKey" | "unknownApiKey" };

/** `apiKey` is the header as received; undefined when absent. An empty or blank key counts as missing. */
export function authenticate(state: StateView, apiKey: string | undefined): AuthResult {
  if (apiKey === undefined || apiKey.trim() === "") return { ok: false, failure: "missingApiKey" };
  const organizationId = state.organizationIdForKey(apiKey);
  return organizationId === undefined ? { ok: false, failure: "unknownApiKey" } : { ok: true, organizationId };
}
