/**
 * @module contract/messages
 * The messages the contract documents, read from the named examples of openapi.yaml, never retyped.
 */
import { foldCase } from "./fold-case.js";
import type { OpenApiDocument, Tier } from "./load-spec.js";

/** The named examples whose `message` the fake sends and the conformance suite expects (generated from openapi.yaml). */
export type { MessageName } from "../generated/messages.js";
import type { MessageName } from "../generated/messages.js";

export interface DocumentedMessage {
  name: MessageName;
  status: number;
  template: string;
  tier: Tier;
}

/** Reads one named example: its status, message template and tier. */
export function documentedMessage(spec: OpenApiDocument, name: MessageName): DocumentedMessage {
  const example = spec.components.examples[name];
  const value = example?.value as { status?: unknown; message?: unknown } | undefined;
  if (typeof value?.message !== "string" || typeof value.status !== "number") {
    throw new Error(`Failed to read message "${name}": openapi.yaml#/components/examples/${name} has no status and message.`);
  }
  return { name, status: value.status, template: value.message, tier: example?.["x-kit-tier"] ?? "inferred" };
}

/** Fills `{placeholders}`; a placeholder with no value stays as written. */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return compileTemplate(template)(values);
}

/** A template split once into text and placeholders, to fill many times (the fake fills one per answer). */
export function compileTemplate(template: string): (values: Readonly<Record<string, string>>) => string {
  const parts = template.split(/\{(\w+)\}/); // text, key, text, key, …, text
  if (parts.length === 1) return () => template;
  return (values) => {
    let text = parts[0]!;
    for (let i = 1; i < parts.length; i += 2) {
      const key = parts[i]!;
      // A placeholder with no value stays as written.
      text += (Object.hasOwn(values, key) ? values[key] : undefined) ?? `{${key}}`;
      text += parts[i + 1]!;
    }
    return text;
  };
}

/** A message longer than this matches no template: no answer of the contract is near it, and matching stays cheap. */
export const MAX_MATCHED_MESSAGE = 10_000;

type Part = { literal: string; caseless: boolean } | { wildcard: true };

/**
 * A template turned into a test a received message must pass: the placeholders given are filled in exactly (an
 * email in any letter case: the service may quote it as stored, not as sent), the others (detail text of inferred
 * messages) match any non-empty text. Matching is by the literal parts, found left to right, each at its first
 * place after the one before (enough, since a wildcard takes any text): linear in the message's length, whatever
 * it holds, and a message over MAX_MATCHED_MESSAGE characters matches nothing.
 */
export function templateMatcher(template: string, values: Readonly<Record<string, string>>): (message: unknown) => boolean {
  const parts: Part[] = [];
  for (const [i, piece] of template.split(/\{(\w+)\}/).entries()) {
    if (i % 2 === 0) {
      if (piece) parts.push({ literal: piece, caseless: false });
      continue;
    }
    const value = Object.hasOwn(values, piece) ? values[piece] : undefined;
    if (value === undefined) parts.push({ wildcard: true });
    else if (value) parts.push({ literal: piece === "email" ? foldCase(value) : value, caseless: piece === "email" });
  }
  const folds = parts.some((p) => "literal" in p && p.caseless);
  return (message) => {
    if (typeof message !== "string" || message.length > MAX_MATCHED_MESSAGE) return false;
    const folded = folds ? foldCase(message) : message;
    let at = 0;
    let pending = 0; // wildcards since the last literal: each needs one character at least
    for (const [i, part] of parts.entries()) {
      if ("wildcard" in part) {
        pending++;
        continue;
      }
      const text = part.caseless ? folded : message;
      const last = i === parts.length - 1;
      let found: number;
      if (pending === 0 && at === 0 && i === 0) found = text.startsWith(part.literal) ? 0 : -1;
      else if (last) {
        found = message.length - part.literal.length;
        if (found < at + pending || !text.endsWith(part.literal)) found = -1;
      } else {
        found = text.indexOf(part.literal, at + pending);
      }
      if (found < 0 || (pending === 0 && found !== at)) return false;
      at = found + part.literal.length;
      pending = 0;
    }
    return pending === 0 ? at === message.length : message.length - at >= pending;
  };
}

/** Does a message say what the template says, with these values? */
export function matchesTemplate(template: string, values: Readonly<Record<string, string>>, message: unknown): boolean {
  return templateMatcher(template, values)(message);
}
