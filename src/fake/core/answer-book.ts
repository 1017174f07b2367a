/**
 * @module fake/core/answer-book
 * The fake's error answers: the envelope `{status, success: false, message}` with the message of the contract's
 * named example, its placeholders filled. One place, so the answers a team aligned with its deployment (the
 * fixtures' `answers` section) replace the inferred ones everywhere.
 */
import type { Contract } from "../../contract/contract.js";
import { compileTemplate, type DocumentedMessage, type MessageName } from "../../contract/messages.js";
import type { FakeAnswer } from "./fake-request.js";
import { jsonString } from "./json-text.js";

export interface AnswerBook {
  /** The named message as this fake answers it (the contract's, or the fixtures' where they may set it). */
  message(name: MessageName): DocumentedMessage;
  /** The error answer for a named message. */
  error(name: MessageName, values?: Readonly<Record<string, string>>, headers?: Record<string, string>): FakeAnswer;
}

/** Status and wording to use instead of the contract's, by message name (only inferred messages may be replaced). */
export type AnswerOverrides = Readonly<Partial<Record<MessageName, { status: number; message: string }>>>;

export function createAnswerBook(contract: Contract, overrides: AnswerOverrides = {}): AnswerBook {
  const cache = new Map<MessageName, { message: DocumentedMessage; fill: Fill; fallback: Fill }>();
  const entry = (name: MessageName) => {
    let found = cache.get(name);
    if (!found) {
      const documented = contract.message(name);
      const override = documented.tier === "inferred" ? overrides[name] : undefined;
      const message = override ? { ...documented, status: override.status, template: override.message } : documented;
      found = { message, fill: compileTemplate(message.template), fallback: compileTemplate(documented.template) };
      cache.set(name, found);
    }
    return found;
  };
  return {
    message: (name) => entry(name).message,
    error(name, values = {}, headers = {}) {
      const { message, fill, fallback } = entry(name);
      // An aligned message made only of placeholders could come out empty: the envelope needs words.
      const text = fill(values) || fallback(values);
      // The envelope {status, success: false, message} as JSON text (see json-text).
      return { status: message.status, headers, json: `{"status":${message.status},"success":false,"message":${jsonString(text)}}`, outcome: name };
    },
  };
}

type Fill = ReturnType<typeof compileTemplate>;
