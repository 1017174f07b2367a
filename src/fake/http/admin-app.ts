/**
 * @module fake/http/admin-app
 * The admin API under /__admin (WireMock's convention), exactly as openapi.yaml describes it (see admin-routes):
 * - reads (GET /__admin/{collection}[/{id}]) are served by json-server 0.17's collection router, with the query
 *   parameters the contract declares only (so its `_delay`, `q`, `_like` regex search, `_embed` and JSONP are out of
 *   reach);
 * - writes are served here, over the same lowdb state: the body is read whole first, then the write is checked,
 *   applied and saved in one synchronous call (nothing else can run in between), so a write is never checked
 *   against one state and applied to another;
 * - no method override, no HTML error page: every answer is JSON, every error the envelope.
 * Cross-site requests are refused first (cross-site-guard).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { NextFunction, Request, Response } from "express";
import express from "express";
import jsonServer from "json-server";
import type { Contract } from "../../contract/contract.js";
import type { MessageName } from "../../contract/messages.js";
import { formatIssues } from "../../contract/validators.js";
import type { FaultSet } from "../core/faults.js";
import type { RequestJournal } from "../core/request-journal.js";
import type { CommitResult, FakeStore } from "../state/fake-store.js";
import type { FixtureSet } from "../state/types.js";
import { ADMIN_HANDLERS, type AdminReply, type AdminServices } from "./admin-operations.js";
import { ADMIN_PREFIX, adminRoutes, checkQuery, matchAdminRoute, type AdminMatch, type AdminOperation } from "./admin-routes.js";
import { crossSiteRefusal, type ServesHost } from "./cross-site-guard.js";
import { isJsonContentType, parseJsonBody } from "../core/json-body.js";
import { readBody } from "./read-body.js";
import { errorBody, sendJson } from "./send-json.js";
import { skipBody } from "./skip-body.js";

export { ADMIN_PREFIX } from "./admin-routes.js";

export interface AdminOptions {
  contract: Contract;
  store: FakeStore;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  journal: RequestJournal;
  faults: FaultSet;
  /** Back to the fixtures, the journal emptied and the faults removed. */
  reset: () => CommitResult;
  /** Whether a Host name is one the fake serves (see cross-site-guard). */
  servesHost: ServesHost;
  /** Stops the fake server (POST /__admin/shutdown), once the answer is sent. */
  shutdown: () => void;
}

type Values = Record<string, string>;

export function createAdminApp({ contract, store, bodyLimit, journal, faults, reset, servesHost, shutdown }: AdminOptions): RequestListener {
  const routes = adminRoutes(contract);
  const m = (name: MessageName) => contract.message(name);
  /** Admin answers are indented, for people reading them in a terminal. */
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => sendJson(res, status, body, headers, 2);
  const fail = (res: ServerResponse, name: MessageName, values: Values = {}, headers: Record<string, string> = {}) =>
    send(res, m(name).status, errorBody(m(name), values), headers);
  /** Answers before reading the body (which is then drained if small, or never read). */
  const refuse = (req: IncomingMessage, res: ServerResponse, name: MessageName, values: Values = {}, headers: Record<string, string> = {}) => {
    skipBody(req, res, bodyLimit);
    fail(res, name, values, headers);
  };

  const app = express();
  app.disable("x-powered-by");
  app.disable("etag"); // a 304 is not in the contract
  app.set("json spaces", 2); // json-server's reads, indented like the other admin answers
  app.set("query parser", () => ({})); // the query is parsed and checked below, from the raw URL

  app.use((req: Request, res: Response, next: NextFunction) => {
    const url = req.url;
    const queryAt = url.indexOf("?");
    const path = queryAt < 0 ? url : url.slice(0, queryAt);

    const refusal = crossSiteRefusal(req, servesHost);
    if (refusal) return refuse(req, res, "adminForbidden", { detail: refusal });

    const match = matchAdminRoute(routes, path);
    if (!match) return refuse(req, res, "adminNotFound", { path });
    const operation = match.route.operations.get(req.method);
    if (!operation) {
      const allow = [...match.route.operations.keys()].join(", ");
      return refuse(req, res, "methodNotAllowed", { method: req.method, path: match.route.template, allow }, { allow });
    }
    const query = checkQuery(operation, queryAt < 0 ? "" : url.slice(queryAt + 1));
    if (!query.ok) return refuse(req, res, "adminInvalidQuery", { detail: query.detail });
    req.query = query.values;

    if (!operation.body) {
      skipBody(req, res, bodyLimit);
      if (operation.kind === "list" || operation.kind === "read") {
        db.setState(store.state); // json-server reads the store's current state
        return next(); // json-server's collection router
      }
      return perform(res, operation, match, undefined, query.values);
    }
    if (!isJsonContentType(req.headers["content-type"])) {
      return refuse(req, res, "unsupportedMediaType", { received: req.headers["content-type"] ?? "none" });
    }
    readBody(req, bodyLimit, (body) => {
      if (!body.ok) {
        if (body.reason === "aborted") return void res.destroy();
        return fail(res, "payloadTooLarge", { limit: String(bodyLimit) }, { connection: "close" });
      }
      let value: unknown;
      if (body.bytes.length > 0 || operation.body!.required) {
        const parsed = parseJsonBody(body.bytes);
        if (!parsed.ok) return fail(res, "malformedJson", { detail: parsed.detail });
        // A fault is checked once, by faults.add (check-fault: the same FaultSpec validator, in words that say what to change).
        const issues = operation.kind === "addFault" ? [] : operation.body!.validate(parsed.value);
        // A fault is not a record: say "Invalid fault", as fake.faults.add and the Prefer header do.
        if (issues.length > 0) return fail(res, invalidBodyMessage(operation), { detail: formatIssues(issues) });
        value = parsed.value;
      }
      perform(res, operation, match, value, query.values);
    });
  });

  const services: AdminServices = { contract, store, journal, faults, reset, shutdown };
  /** Everything but json-server's reads, by the operation's kind (admin-operations). */
  function perform(res: ServerResponse, operation: AdminOperation, match: AdminMatch, body?: unknown, query: Values = {}): void {
    const reply: AdminReply = {
      res,
      send: (status, answer, headers) => send(res, status, answer, headers),
      fail: (name, values, headers) => fail(res, name, values, headers),
    };
    try {
      const kind = operation.kind;
      if (kind === "list" || kind === "read") throw new Error(`${operation.operationId} is json-server's`);
      ADMIN_HANDLERS[kind]({ operation, ...(match.id !== undefined ? { id: match.id } : {}), body, query }, services, reply);
    } catch (error) {
      console.error(`[cv-contract-kit] unexpected error on the admin API (${operation.operationId}):`, error);
      if (!res.headersSent) fail(res, "stateNotSaved", { detail: "internal error of the fake server" });
    }
  }

  // Reads: json-server's router, through its documented programmatic API (`jsonServer.router(db)`, `router.db`,
  // `router.render`), over its own lowdb database, pointed at the store's state before each read. Only the reads that
  // match an operation of openapi.yaml get here (above): its writes, nested routes and /db are out of reach.
  const router = jsonServer.router<FixtureSet>(store.state);
  const db = router.db;
  router.render = (req, res) => {
    // json-server ends a read it could not answer (an unknown id) with a 404 and `{}`: say it in the envelope.
    if (res.statusCode === 404) return fail(res, "adminNotFound", { path: req.baseUrl + req.path });
    res.json(res.locals.data);
  };
  app.use(
    ADMIN_PREFIX,
    (req: Request, _res: Response, next: NextFunction) => {
      // The body of a read was skipped above (skipBody): json-server's body parser must not read it a second time.
      delete req.headers["content-type"];
      next();
    },
    router,
  );

  // Never express's HTML page or a stack trace.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    console.error(`[cv-contract-kit] unexpected error on ${req.method} ${req.originalUrl}:`, error);
    if (!res.headersSent) fail(res, "adminInvalidQuery", { detail: "the fake server could not answer this query (see its log)" });
  });

  return app as unknown as RequestListener;
}

/** A body its schema refuses: a fault and a matcher are not records, and are named as what they are. */
function invalidBodyMessage(operation: AdminOperation): MessageName {
  if (operation.kind === "addFault") return "invalidFault";
  if (operation.kind === "findRequests" || operation.kind === "countRequests") return "invalidMatcher";
  return "adminInvalid";
}
