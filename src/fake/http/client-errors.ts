/**
 * @module fake/http/client-errors
 * What the fake answers when Node cannot go on with a connection: bytes that are not HTTP, or a request that did
 * not arrive in time. Node's own handler writes 400/408 only when no response is pending on the socket; this one
 * keeps that promise and answers in the JSON envelope:
 * - a request whose body never finished gets 408 (or 400), unless it was answered already: never a second answer;
 * - garbage after complete requests waits for their answers, then gets the 400 envelope: a pipelined update that
 *   was applied is answered 200, not 400;
 * - then the connection is closed.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { Contract } from "../../contract/contract.js";
import { errorBody, sendError } from "./send-json.js";

interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
}

/**
 * The latest request of each connection. It is all an error needs: requests on a connection arrive one after the
 * other, so only the latest can still be arriving, and node:http answers them in order, so when the latest answer
 * is written every earlier one is. Kept without listeners: this runs for every request.
 */
const latest = new WeakMap<Duplex, Exchange>();
/** Connections already being closed because of a client error (Node may report one error several times). */
const closing = new WeakSet<Duplex>();

/** Call first for every request. */
export function trackExchange(req: IncomingMessage, res: ServerResponse): void {
  latest.set(req.socket, { req, res });
}

export function answerClientError(contract: Contract, error: NodeJS.ErrnoException, socket: Duplex): void {
  if (closing.has(socket)) return;
  closing.add(socket);
  if (error.code === "ECONNRESET" || !socket.writable) return void socket.destroy();
  const timedOut = error.code === "ERR_HTTP_REQUEST_TIMEOUT";
  const message = contract.message(timedOut ? "requestTimeout" : "malformedHttpRequest");
  const detail = timedOut ? "the whole request did not arrive in time; send it at once" : (error.code ?? "unreadable request");
  const exchange = latest.get(socket);

  // A request still arriving is the one that failed: answer it, unless it was answered already. An answer may be
  // queued behind an earlier one still on its way (a delay): the answers leave first, then the connection closes.
  if (exchange && !exchange.req.complete) {
    const { res } = exchange;
    if (res.headersSent) return afterAnswers(socket, res, () => socket.destroy());
    res.once("finish", () => socket.destroy());
    return sendError(res, message, { detail }, { connection: "close" });
  }

  // Every request so far arrived whole: what follows them is not HTTP. Their answers go first.
  const raw = rawAnswer(message.status, timedOut ? "Request Timeout" : "Bad Request", JSON.stringify(errorBody(message, { detail })));
  const last = exchange?.res;
  if (!last) return void socket.end(raw);
  afterAnswers(socket, last, () => socket.end(raw));
}

/** Runs `then` once the latest answer (and so every earlier one: node:http sends them in order) has been written. */
function afterAnswers(socket: Duplex, latestAnswer: ServerResponse, then: () => void): void {
  if (latestAnswer.writableFinished) return then();
  latestAnswer.once("finish", then);
  latestAnswer.once("close", () => {
    if (!latestAnswer.writableFinished) socket.destroy();
  });
}

function rawAnswer(status: number, reason: string, body: string): string {
  return `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}
