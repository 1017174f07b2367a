// Writes a JSON answer the way this deployment does (charset, gzip, ETag through Express's res.send).
import type { Request, Response } from "express";
import { gzipSync } from "node:zlib";
import type { Knobs } from "../knobs.js";

export interface SendOptions {
  /** The label the answer goes out under (a bug may say text/html). */
  contentType?: string;
}

export function sendJson(req: Request, res: Response, k: Knobs, status: number, body: unknown, options: SendOptions = {}): void {
  const text = JSON.stringify(body);
  // res.set() would add a charset of its own: the header is written as this deployment spells it.
  res.setHeader("Content-Type", options.contentType ?? (k.charset ? "application/json; charset=utf-8" : "application/json"));
  let payload = Buffer.from(text, "utf8");
  if (k.gzip) {
    res.setHeader("Vary", "Accept-Encoding");
    if (req.acceptsEncodings("gzip") === "gzip") {
      payload = gzipSync(payload);
      res.setHeader("Content-Encoding", "gzip");
    }
  }
  res.status(status).send(payload);
}
