/**
 * @module fake/http/read-body
 * Reads a request body up to a limit. A larger body is refused as soon as it is known to be too large
 * (from Content-Length, or while streaming), so the server never buffers it.
 */
import type { IncomingMessage } from "node:http";

export type BodyResult = { ok: true; bytes: Buffer } | { ok: false; reason: "tooLarge" | "aborted" };

export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ ok: false, reason: "tooLarge" });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult) => {
      if (done) return;
      done = true;
      req.removeAllListeners("data");
      resolve(result);
    };
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        finish({ ok: false, reason: "tooLarge" });
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => finish({ ok: true, bytes: Buffer.concat(chunks, size) }));
    req.on("error", () => finish({ ok: false, reason: "aborted" }));
    req.on("close", () => finish({ ok: false, reason: "aborted" }));
  });
}
