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

/** The requests of each connection that are not over yet (still arriving, or still being answered). */
const open = new WeakMap<Duplex, Set<Exchange>>();
/** Connections already being closed because of a client error (Node may report one error several times). */
const closing = new WeakSet<Duplex>();

/** Call first for every request. */
export function trackExchange(req: IncomingMessage, res: ServerResponse): void {
  const socket = req.socket;
  let exchanges = open.get(socket);
  if (!exchanges) open.set(socket, (exchanges = new Set()));
  const exchange = { req, res };
  exchanges.add(exchange);
  const settle = () => {
    const answered = res.writableFinished || res.destroyed;
    const received = req.complete || req.destroyed;
    if (answered && received) exchanges.delete(exchange);
  };
  res.once("finish", settle);
  res.once("close", settle);
  req.once("end", settle);
  req.once("close", settle);
}

export function answerClientError(contract: Contract, error: NodeJS.ErrnoException, socket: Duplex): void {
  if (closing.has(socket)) return;
  closing.add(socket);
  if (error.code === "ECONNRESET" || !socket.writable) return void socket.destroy();
  const timedOut = error.code === "ERR_HTTP_REQUEST_TIMEOUT";
  const message = contract.message(timedOut ? "requestTimeout" : "malformedHttpRequest");
  const detail = timedOut ? "the whole request did not arrive in time; send it at once" : (error.code ?? "unreadable request");
  const exchanges = [...(open.get(socket) ?? [])];

  // A request still arriving is the one that failed: answer it, unless it was answered already.
  const arriving = exchanges.find((e) => !e.req.complete);
  if (arriving) {
    if (arriving.res.headersSent) return void socket.destroy();
    arriving.res.once("finish", () => socket.destroy());
    return sendError(arriving.res, message, { detail }, { connection: "close" });
  }

  // Every request so far arrived whole: what follows them is not HTTP. Their answers go first.
  const raw = rawAnswer(message.status, timedOut ? "Request Timeout" : "Bad Request", JSON.stringify(errorBody(message, { detail })));
  const last = exchanges.at(-1)?.res;
  if (!last || last.writableFinished) return void socket.end(raw);
  last.once("finish", () => socket.end(raw));
  last.once("close", () => {
    if (!last.writableFinished) socket.destroy();
  });
}

function rawAnswer(status: number, reason: string, body: string): string {
  return `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}
