/**
 * @module fake/http/send-json
 * Every answer of the fake is JSON in the API's envelope; error messages come from the contract's examples.
 */
import type { ServerResponse } from "node:http";
import type { DocumentedMessage } from "../../contract/messages.js";
import { fillTemplate } from "../../contract/messages.js";

/** `indent` spaces for answers people read (the admin API); none on the API's hot path. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, indent?: number): void {
  const text = JSON.stringify(body, null, indent);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** The documented error envelope `{status, success: false, message}` with the template's placeholders filled. */
export function errorBody(message: DocumentedMessage, values: Readonly<Record<string, string>> = {}) {
  return { status: message.status, success: false as const, message: fillTemplate(message.template, values) };
}

export function sendError(
  res: ServerResponse,
  message: DocumentedMessage,
  values: Readonly<Record<string, string>> = {},
  headers: Record<string, string> = {},
): void {
  sendJson(res, message.status, errorBody(message, values), headers);
}
