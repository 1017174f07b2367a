/**
 * @module conformance/fuzz/simplify
 * After fast-check's shrinking (bounded, since every try is a real request), a few cheap steps make a failing
 * update's data smaller still, each kept only if the request still fails: leave out a field; replace a text by one
 * of its characters, or by as many "A"s; cut it to the shortest beginning or end that still fails.
 */
import type { FuzzInput } from "./families.js";

export async function simplify(input: FuzzInput, fails: (input: FuzzInput) => Promise<boolean>): Promise<FuzzInput> {
  if (!input.data) return input;
  let data = { ...input.data };
  const tryWith = async (next: Record<string, unknown>) => {
    if (!(await fails({ data: next }))) return false;
    data = next;
    return true;
  };
  for (const field of Object.keys(data).filter((f) => f !== "email")) {
    const { [field]: _, ...rest } = data;
    await tryWith(rest);
  }
  for (const field of Object.keys(data).filter((f) => f !== "email")) {
    const value = data[field];
    if (typeof value !== "string" || value.length <= 1) continue;
    const points = [...value];
    let simpler = false;
    for (const point of [...new Set(points)].slice(0, 8)) {
      if ((simpler = await tryWith({ ...data, [field]: point }))) break;
    }
    if (simpler) continue;
    if (/[^A]/.test(value)) await tryWith({ ...data, [field]: "A".repeat(points.length) });
    await shortest(field, (n) => [...(data[field] as string)].slice(0, n).join(""));
    await shortest(field, (n) => [...(data[field] as string)].slice(-n).join(""));
  }
  return { data };

  /** The fewest code points (by halving) that still fail. */
  async function shortest(field: string, cut: (n: number) => string): Promise<void> {
    let low = 1;
    let high = [...(data[field] as string)].length;
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      const candidate = cut(mid);
      if (await tryWith({ ...data, [field]: candidate })) high = [...candidate].length;
      else low = mid + 1;
    }
  }
}
