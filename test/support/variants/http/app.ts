// The Express app: the cross-cutting middleware this deployment runs, then /api/v1/users.
import express, { type Express, type RequestHandler } from "express";
import { NOT_FOUND_WORDS, RATE_LIMIT_WORDS } from "../refusal-words.js";
import { refusalBody } from "../refusal-body.js";
import type { Deployment } from "./context.js";
import { bodyErrors, jsonBody } from "./json-body.js";
import { refuse } from "./refuse.js";
import { requireKey } from "./require-key.js";
import { searchRoute } from "./search-route.js";
import { sendJson } from "./send.js";
import { updateRoute } from "./update-route.js";

const SAFE_REQUEST_ID = /^[\w.-]{1,64}$/;

/** Every Nth request is turned away with 429; the one after it never is. */
function rateLimit(d: Deployment, every: number): RequestHandler {
  let seen = 0;
  return (req, res, next) => {
    seen += 1;
    if (seen % every !== 0) return next();
    res.setHeader("Retry-After", String(d.knobs.retryAfterSeconds));
    const envelope = d.knobs.refusals.method.envelope;
    sendJson(req, res, d.knobs, 429, refusalBody(429, envelope, RATE_LIMIT_WORDS.message, RATE_LIMIT_WORDS.code));
  };
}

function requestId(header: string): RequestHandler {
  let issued = 0;
  return (req, res, next) => {
    const sent = req.headers["x-request-id"];
    issued += 1;
    res.setHeader(header, typeof sent === "string" && SAFE_REQUEST_ID.test(sent) ? sent : `req_${issued.toString(36).padStart(6, "0")}`);
    next();
  };
}

export function createApp(d: Deployment, countRequest: () => void): Express {
  const { knobs: k } = d;
  const app = express();
  if (!k.poweredBy) app.disable("x-powered-by");
  app.set("etag", k.etag);
  app.use((_req, _res, next) => {
    countRequest();
    next();
  });
  if (k.requestIdHeader !== "none") app.use(requestId(k.requestIdHeader));
  if (k.rateLimitEvery !== null) app.use(rateLimit(d, k.rateLimitEvery));

  const key = requireKey(d);
  const body = jsonBody(d);
  app.post("/api/v1/users", ...(k.keyCheckedFirst ? [key, ...body] : [...body, key]), updateRoute(d));
  if (k.search !== "none") app.get("/api/v1/users", key, searchRoute(d));
  app.all("/api/v1/users", (req, res) => refuse(req, res, d, "method"));
  app.use((req, res) => sendJson(req, res, k, 404, refusalBody(404, k.refusals.method.envelope, NOT_FOUND_WORDS.message, NOT_FOUND_WORDS.code)));
  app.use(bodyErrors(d));
  return app;
}
