// Content-Type and JSON parsing (express.json), and what their errors are answered with.
import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import type { Deployment } from "./context.js";
import { refuse } from "./refuse.js";

/** The page says Content-Type "Must be application/json": a body under any other label is refused or not read. */
export function jsonBody(d: Deployment): RequestHandler[] {
  const limit = `${d.knobs.bodyLimitKb}kb`;
  if (d.has("text-plain-accepted")) return [express.json({ strict: d.knobs.jsonStrict, limit, type: () => true })];
  const parse = express.json({ strict: d.knobs.jsonStrict, limit, type: "application/json" });
  if (d.knobs.contentType === "bodyIgnored") return [parse];
  const gate: RequestHandler = (req, res, next) => {
    // req.is() is null for a request with no body: that one is left to validation, which refuses it.
    if (req.is("application/json") === false) return refuse(req, res, d, "contentType");
    next();
  };
  return [gate, parse];
}

/** body-parser's errors as this deployment's refusals; anything else goes on to Express (an HTML 500: only bugs). */
export function bodyErrors(d: Deployment): ErrorRequestHandler {
  return (err: { type?: string; status?: number; statusCode?: number }, req, res, next) => {
    switch (err?.type) {
      case "entity.parse.failed":
        if (d.has("malformed-json-html-500")) {
          // The bug: a wrapper rethrows the parser's error without its status.
          delete err.status;
          delete err.statusCode;
          return next(err);
        }
        return refuse(req, res, d, "malformedJson");
      case "entity.too.large":
        return refuse(req, res, d, "tooLarge");
      case "charset.unsupported":
      case "encoding.unsupported":
        return refuse(req, res, d, "contentType");
      case "request.aborted":
        return;
      case "request.size.invalid":
      case "entity.verify.failed":
        return refuse(req, res, d, "malformedJson");
      default:
        // A body the parser could not read for another reason (a corrupt gzip stream, say) is a bad body too.
        if (typeof err?.status === "number" && err.status >= 400 && err.status < 500) return refuse(req, res, d, "malformedJson");
        return next(err);
    }
  };
}
