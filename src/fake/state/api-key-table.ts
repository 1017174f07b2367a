/**
 * @module fake/state/api-key-table
 * API key → organization, found with no comparison that stops at the first difference, so the time a
 * lookup takes does not tell how much of a guess matches a real key. The guess's FNV-1a hash (a cost that depends
 * on its length only) picks the stored keys with the same hash; each of those is compared in full, every character,
 * whatever differs first (sameKey). Cheaper on every request than a SHA-256 digest, with the same promise.
 */
import type { ApiKey } from "./types.js";

export class ApiKeyTable {
  private readonly byHash = new Map<number, ApiKey[]>();

  constructor(keys: readonly ApiKey[]) {
    for (const key of keys) {
      const hash = keyHash(key.id);
      const same = this.byHash.get(hash);
      if (same) same.push(key);
      else this.byHash.set(hash, [key]);
    }
  }

  organizationIdFor(presented: string): string | undefined {
    const candidates = this.byHash.get(keyHash(presented));
    if (!candidates) return undefined;
    let organizationId: string | undefined;
    for (const candidate of candidates) if (sameKey(candidate.id, presented)) organizationId = candidate.organizationId;
    return organizationId;
  }
}

/** FNV-1a over the UTF-16 code units: 32 bits, one pass, no early exit. */
export function keyHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** Equal strings, comparing every code unit whatever differs first. */
export function sameKey(stored: string, presented: string): boolean {
  if (stored.length !== presented.length) return false;
  let difference = 0;
  for (let i = 0; i < stored.length; i++) difference |= stored.charCodeAt(i) ^ presented.charCodeAt(i);
  return difference === 0;
}
