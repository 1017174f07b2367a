/**
 * @module fake/http/write-answer
 * Sends a core answer on a node:http response: at once when it can (once it is saved, with persistence) (so an answer decided in the request's "end"
 * tick is written in that tick), late when a delay asks for it, or not at all when a fault asks to hang, reset the
 * connection or close it empty.
 */
import type { ServerResponse } from "node:http";
import { serializeAnswer, type Answered, type FakeAnswer } from "../core/fake-request.js";

export function writeAnswer(res: ServerResponse, answered: Answered): void {
  if (answered instanceof Promise) return void answered.then((answer) => writeAnswer(res, answer));
  const answer = answered;
  if (!answer.delayMs) return writeNow(res, answer);
  const timer = setTimeout(() => writeNow(res, answer), answer.delayMs);
  res.once("close", () => clearTimeout(timer)); // the client gave up, or the server is closing
}

function writeNow(res: ServerResponse, answer: FakeAnswer): void {
  if (res.destroyed || res.headersSent) return;
  switch (answer.effect) {
    case "hang":
      return; // the connection stays open, unanswered, until the client gives up (or the fake closes)
    case "reset":
      return void res.socket?.resetAndDestroy();
    case "empty":
      return void res.socket?.destroy();
    default: {
      const { text, headers } = serializeAnswer(answer);
      res.writeHead(answer.status, headers);
      res.end(text);
    }
  }
}
