/**
 * @module fake/http/parse-json-body
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

export function parseJsonBody(bytes: Buffer): ParsedBody {
  if (!isUtf8(bytes)) return { ok: false, detail: "it is not valid UTF-8" };
  const text = bytes.toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) return { ok: false, detail: "it starts with a byte order mark (BOM); send plain UTF-8" };
  if (text.trim() === "") return { ok: false, detail: "it is empty" };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}
