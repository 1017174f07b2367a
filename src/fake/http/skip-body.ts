/**
 * @module fake/http/skip-body
 * Answering without reading the request body. A small body of known length is drained, to keep the connection
 * for the next request; any other (larger than the limit, or chunked with no end in sight) is never read: the
 * connection closes right after the answer, so a refused body cannot keep the fake reading.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** Call before answering: drains a small body, or marks the answer as the connection's last. */
export function skipBody(req: IncomingMessage, res: ServerResponse, limit: number): void {
  const length = Number(req.headers["content-length"] ?? 0);
  const bounded = req.headers["transfer-encoding"] === undefined && Number.isFinite(length) && length <= limit;
  if (bounded) req.resume();
  else res.setHeader("connection", "close");
}
