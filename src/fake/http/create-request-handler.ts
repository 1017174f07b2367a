/**
 * @module fake/http/create-request-handler
 * The node:http adapter of the fake's core: it turns the request's head into a FakeRequest, lets the core decide
 * whether to read the body, reads it, and writes the core's answer. The admin API under /__admin has its own
 * listener (admin-app).
 */
import type { IncomingMessage, RequestListener } from "node:http";
import type { FakeCore } from "../core/fake-core.js";
import type { FakeRequest } from "../core/fake-request.js";
import { trackExchange } from "./client-errors.js";
import { readBody } from "./read-body.js";
import { skipBody } from "./skip-body.js";
import { writeAnswer } from "./write-answer.js";

export function createRequestHandler(core: FakeCore, admin: RequestListener, bodyLimit: number): RequestListener {
  return (req, res) => {
    trackExchange(req, res);
    const request = toFakeRequest(req);
    if (core.isAdminPath(request.path)) return admin(req, res);

    const begun = core.begin(request);
    if ("answer" in begun) {
      skipBody(req, res, bodyLimit); // answered without reading the body: drain a small one, or close after answering
      return writeAnswer(res, begun.answer);
    }
    readBody(req, begun.bodyLimit, (body) => {
      if (body.ok) return writeAnswer(res, begun.finish(body.bytes));
      if (body.reason === "aborted") return void res.destroy();
      writeAnswer(res, begun.tooLarge()); // closes the connection: the rest of the body is never read
    });
  };
}

function toFakeRequest(req: IncomingMessage): FakeRequest {
  const url = req.url ?? "/";
  const queryAt = url.indexOf("?");
  return {
    method: req.method ?? "GET",
    path: queryAt < 0 ? url : url.slice(0, queryAt),
    query: queryAt < 0 ? "" : url.slice(queryAt + 1),
    // node:http joins repeated headers with ", " (set-cookie aside, which the fake never reads).
    headers: req.headers as Readonly<Record<string, string | undefined>>,
  };
}
