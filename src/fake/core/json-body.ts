/**
 * @module fake/core/json-body
 * Content-Type and JSON syntax checks, before the body meets the contract's schema.
 */
import { isUtf8 } from "node:buffer";

/** application/json, optionally with charset=utf-8; anything else is refused, never read as JSON anyway. */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const [type, ...params] = header.split(";").map((part) => part.trim().toLowerCase());
  if (type !== "application/json") return false;
  return params.every((param) => param === "" || param === "charset=utf-8" || param === 'charset="utf-8"');
}

export type ParsedBody = { ok: true; value: unknown } | { ok: false; detail: string };

// ignoreBOM keeps a byte order mark in the text, so it can be refused below rather than silently dropped.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

export function parseJsonBody(bytes: Uint8Array): ParsedBody {
  if (!isUtf8(bytes)) return { ok: false, detail: "it is not valid UTF-8" };
  const text = utf8.decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) return { ok: false, detail: "it starts with a byte order mark (BOM); send plain UTF-8" };
  if (text.trim() === "") return { ok: false, detail: "it is empty" };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}
