/**
 * @module fake/http/read-body
 * Reads a request body up to a limit. A larger body is refused as soon as it is known to be too large
 * (from Content-Length, or while streaming), so the server never buffers it. Callback style on purpose: the answer
 * is then written in the same tick as the request's "end" event, which keeps the hot path fast.
 */
import type { IncomingMessage } from "node:http";

export type BodyResult = { ok: true; bytes: Buffer } | { ok: false; reason: "tooLarge" | "aborted" };

export function readBody(req: IncomingMessage, limit: number, done: (result: BodyResult) => void): void {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return done({ ok: false, reason: "tooLarge" });
  let chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (result: BodyResult) => {
    if (finished) return;
    finished = true;
    chunks = []; // the connection's tracker may keep this request for a while: not its body
    done(result);
  };
  req.on("data", (chunk: Buffer) => {
    if (finished) return; // past the limit: what still arrives is dropped, and the answer closes the connection
    size += chunk.length;
    if (size > limit) return finish({ ok: false, reason: "tooLarge" });
    chunks.push(chunk);
  });
  req.on("end", () => finish({ ok: true, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) }));
  // An aborted request ends in "close" (node:http emits its "error" only to a listener, so none is added: one fewer
  // listener on every request).
  req.on("close", () => finish({ ok: false, reason: "aborted" }));
}
