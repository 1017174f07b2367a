/**
 * @module fake/http/admin-app
 * The admin API under /__admin (WireMock's convention): json-server 0.17 serves the state's collections
 * (GET/POST /__admin/users, GET/PATCH/PUT/DELETE /__admin/cases/:id, GET /__admin/db, …), and
 * POST /__admin/reset goes back to the fixtures. A write is checked first: the state it would leave must still
 * be a valid fixture set (schema, unique emails and phones, references), or nothing changes.
 */
import { randomUUID } from "node:crypto";
import type { RequestListener } from "node:http";
import type { NextFunction, Request, Response } from "express";
import express from "express";
import jsonServerBodyParser from "json-server/lib/server/body-parser.js";
import type { JsonServerRouter } from "json-server/lib/server/router/index.js";
import type { Contract } from "../../contract/contract.js";
import type { MessageName } from "../../contract/messages.js";
import { checkState, formatStateIssues } from "../state/check-state.js";
import type { FakeStore } from "../state/fake-store.js";
import { isCollection, type Collection, type FixtureSet } from "../state/types.js";
import { errorBody } from "./send-json.js";
import { isJsonContentType } from "./parse-json-body.js";

export const ADMIN_PREFIX = "/__admin";

export function createAdminApp(contract: Contract, store: FakeStore, router: JsonServerRouter<FixtureSet>): RequestListener {
  const app = express().set("json spaces", 2); // what jsonServer.create() does
  const fail = (res: Response, name: MessageName, values: Record<string, string> = {}, headers: Record<string, string> = {}) => {
    const body = errorBody(contract.message(name), values);
    res.status(body.status).set(headers).json(body);
  };

  app.disable("x-powered-by");
  app.all("/reset", (req, res) => {
    if (req.method !== "POST") return fail(res, "methodNotAllowed", { method: req.method, path: `${ADMIN_PREFIX}/reset`, allow: "POST" }, { allow: "POST" });
    const reset = store.reset();
    if (!reset.ok) return fail(res, "stateNotSaved", { detail: reset.detail });
    res.json({ status: 200, success: true, message: "State reset to the fixtures" });
  });
  app.all("/db", (req, res, next) => {
    if (req.method === "GET") return next();
    fail(res, "methodNotAllowed", { method: req.method, path: `${ADMIN_PREFIX}/db`, allow: "GET" }, { allow: "GET" });
  });

  // Only /:collection and /:collection/:id are in openapi.yaml: json-server's nested routes are not served.
  app.use((req, res, next) => {
    if (req.path.split("/").filter(Boolean).length > 2) return fail(res, "adminNotFound", { path: `${ADMIN_PREFIX}${req.path}` });
    next();
  });
  app.use((req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "DELETE") return next();
    if (!isJsonContentType(req.headers["content-type"])) {
      return fail(res, "unsupportedMediaType", { received: req.headers["content-type"] ?? "none" });
    }
    next();
  });
  app.use(jsonServerBodyParser);
  app.use((req, res, next) => {
    const problem = checkWrite(contract, store.state, req);
    if (problem) return fail(res, problem.name, problem.values);
    // json-server writes in place: keep a way back in case the state file cannot be written afterwards.
    if (req.method !== "GET" && req.method !== "HEAD") res.locals.rollback = store.rollbackPoint();
    next();
  });

  // json-server ends every route with render: answer 404s in the envelope, and save writes before answering.
  router.render = (req, res) => {
    if (res.statusCode === 404) return fail(res, "adminNotFound", { path: `${ADMIN_PREFIX}${req.url}` });
    if (req.method !== "GET" && req.method !== "HEAD") {
      const saved = store.changed();
      if (!saved.ok) {
        (res.locals.rollback as (() => void) | undefined)?.();
        return fail(res, "stateNotSaved", { detail: saved.detail });
      }
    }
    res.json(res.locals.data);
  };
  app.use(router);

  // Errors of body-parser (malformed JSON, too large) and of json-server itself: never HTML, never a stack.
  app.use((error: Error & { status?: number; type?: string }, req: Request, res: Response, _next: NextFunction) => {
    if (error.type === "entity.too.large") return fail(res, "payloadTooLarge", { limit: "10mb" });
    if (error.type === "entity.parse.failed") return fail(res, "malformedJson", { detail: error.message });
    fail(res, "adminInvalid", { detail: error.message });
  });

  return app as unknown as RequestListener;
}

type WriteProblem = { name: MessageName; values: Record<string, string> };

/** For POST/PUT/PATCH/DELETE on /:collection[/:id]: would the state after the write still be valid? */
function checkWrite(contract: Contract, state: FixtureSet, req: Request): WriteProblem | undefined {
  if (req.method === "GET" || req.method === "HEAD") return undefined;
  const [collectionName, id, ...rest] = req.path.split("/").filter(Boolean).map(decodeURIComponent);
  if (!collectionName || !isCollection(collectionName) || rest.length > 0) return undefined; // json-server answers 404
  const collection: Collection = collectionName;
  const records = state[collection] as { id: string }[];
  const body = req.body as unknown;

  if (req.method !== "DELETE" && (body === null || typeof body !== "object" || Array.isArray(body))) {
    return { name: "adminInvalid", values: { detail: "the body must be a JSON object" } };
  }
  const fields = body as Record<string, unknown>;
  let next: { id: string }[];
  if (id === undefined) {
    if (req.method !== "POST") return undefined;
    fields.id ??= randomUUID(); // json-server would make a numeric id, which the schema refuses
    next = [...records, fields as { id: string }];
  } else {
    const index = records.findIndex((r) => String(r.id) === id);
    if (index < 0) return undefined;
    if (req.method === "DELETE") return checkDelete(contract, state, collection, id);
    const current = records[index]!;
    const merged = req.method === "PATCH" ? { ...current, ...fields } : { ...fields, id: current.id };
    next = records.map((r, i) => (i === index ? merged : r)) as { id: string }[];
  }
  const issues = checkState(contract, { ...state, [collection]: next });
  return issues.length > 0 ? { name: "adminInvalid", values: { detail: formatStateIssues(issues) } } : undefined;
}

/** json-server also deletes records whose `<singular>Id` points at the deleted one; check what remains. */
function checkDelete(contract: Contract, state: FixtureSet, collection: Collection, id: string): WriteProblem | undefined {
  const foreignKey = `${collection.replace(/s$/, "")}Id`;
  const next = Object.fromEntries(
    Object.entries(state).map(([name, records]) => [
      name,
      (records as Record<string, unknown>[]).filter((r) => !(name === collection && r.id === id) && r[foreignKey] !== id),
    ]),
  );
  const issues = checkState(contract, next);
  return issues.length > 0 ? { name: "adminInvalid", values: { detail: `deleting it would leave ${formatStateIssues(issues)}` } } : undefined;
}
