/**
 * @module fake/core/json-body
 * Content-Type and JSON syntax checks, before the body meets the contract's schema.
 */

/** application/json, optionally with charset=utf-8; anything else is refused, never read as JSON anyway. */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  if (header === "application/json" || header === "application/json; charset=utf-8") return true; // the usual two, without splitting
  const [type, ...params] = header.split(";").map((part) => part.trim().toLowerCase());
  if (type !== "application/json") return false;
  return params.every((param) => param === "" || param === "charset=utf-8" || param === 'charset="utf-8"');
}

export type ParsedBody = { ok: true; value: unknown } | { ok: false; detail: string };

// fatal: invalid UTF-8 throws (checked and decoded in one pass). ignoreBOM keeps a byte order mark in the text, so
// it can be refused below rather than silently dropped.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export function parseJsonBody(bytes: Uint8Array): ParsedBody {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, detail: "it is not valid UTF-8" };
  }
  if (text.charCodeAt(0) === 0xfeff) return { ok: false, detail: "it starts with a byte order mark (BOM); send plain UTF-8" };
  // A refused body throws; without a stack trace the throw costs half as much (only the message is used).
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    // Only a body JSON.parse refused can be blank: look for that here, not on every request.
    return { ok: false, detail: text.trim() === "" ? "it is empty" : (error as Error).message };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}
