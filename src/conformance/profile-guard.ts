/**
 * @module conformance/profile-guard
 * Safety on real deployments: the accounts a scenario touches are read before it runs and, if they differ
 * afterwards, written back. A profile is read with an update that sends only the email, which changes nothing.
 */
import type { Contract } from "../contract/contract.js";
import { exchange, type Exchange } from "./exchange.js";

export type Profile = Record<string, unknown>;

export interface GuardContext {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
}

export async function readProfile(context: GuardContext, email: string): Promise<{ exchange: Exchange; profile?: Profile }> {
  const result = await exchange(
    context.baseUrl,
    {
      method: "POST",
      apiKey: context.apiKey,
      apiKeyIsSecret: true,
      contentType: "application/json",
      body: JSON.stringify({ action: "UPDATE_PROFILE", data: { email } }),
    },
    context.timeoutMs,
  );
  const user = (result.response?.json as { data?: { user?: unknown } } | undefined)?.data?.user;
  const ok = result.response?.status === 200 && user !== null && typeof user === "object";
  return ok ? { exchange: result, profile: user as Profile } : { exchange: result };
}

/** The profile fields that differ between two reads. */
export function changedFields(contract: Contract, before: Profile, after: Profile): string[] {
  return contract.profileFields.filter((field) => JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null));
}

export interface RestoreResult {
  ok: boolean;
  message: string;
  exchanges: Exchange[];
}

/** Writes the snapshot's values of the changed fields back, then reads the profile again to confirm. */
export async function restoreProfile(contract: Contract, context: GuardContext, email: string, snapshot: Profile, current: Profile): Promise<RestoreResult> {
  const fields = changedFields(contract, snapshot, current);
  const data: Record<string, unknown> = { email };
  const impossible: string[] = [];
  for (const field of fields) {
    const value = snapshot[field];
    // Only the fields openapi.yaml makes nullable (address2) can be cleared through this endpoint.
    if (value === null || value === undefined) {
      if (contract.nullableProfileFields.includes(field)) data[field] = null;
      else impossible.push(field);
    } else {
      data[field] = field === "dob" && typeof value === "string" ? value.slice(0, 10) : value;
    }
  }
  const write = await exchange(
    context.baseUrl,
    { method: "POST", apiKey: context.apiKey, apiKeyIsSecret: true, contentType: "application/json", body: JSON.stringify({ action: "UPDATE_PROFILE", data }) },
    context.timeoutMs,
  );
  const reread = await readProfile(context, email);
  const left = reread.profile ? changedFields(contract, snapshot, reread.profile) : fields;
  const exchanges = [write, reread.exchange];
  if (left.length === 0) return { ok: true, message: `restored ${fields.join(", ")} of ${email}`, exchanges };
  const why = impossible.length > 0 ? ` (${impossible.join(", ")} cannot be set back to null through this endpoint)` : "";
  const answer = write.response ? `${write.response.status} ${write.response.text.slice(0, 200)}` : write.transportError;
  return { ok: false, message: `FAILED to restore ${left.join(", ")} of ${email}${why}; the target answered ${answer}`, exchanges };
}
