/**
 * @module contract/pointer
 * JSON Pointer (RFC 6901) helpers for addressing parts of openapi.yaml.
 */

/** Builds a JSON pointer from path segments, escaping "~" and "/". */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => "/" + String(s).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

/** Reads the value a JSON pointer addresses, or undefined. */
export function readPointer(doc: unknown, pointer: string): unknown {
  if (pointer === "" || pointer === "#") return doc;
  const segments = pointer
    .replace(/^#?\//, "")
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  let node: unknown = doc;
  for (const segment of segments) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** Follows `$ref` (local refs only, as openapi.yaml uses) until a non-reference node. */
export function deref<T = unknown>(doc: unknown, node: unknown): T {
  let current = node;
  for (let hops = 0; hops < 16; hops++) {
    const ref = (current as { $ref?: unknown } | null)?.$ref;
    if (typeof ref !== "string") return current as T;
    current = readPointer(doc, ref);
  }
  throw new Error("Failed to resolve a $ref in openapi.yaml: more than 16 hops. Check for a reference cycle.");
}
