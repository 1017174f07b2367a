/**
 * @module contract/messages
 * The messages the contract documents, read from the named examples of openapi.yaml, never retyped.
 */
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

/**
 * A RegExp that a received message must match: the placeholders given are filled in exactly,
 * the others (detail text of inferred messages) match any non-empty text.
 */
export function templatePattern(template: string, values: Readonly<Record<string, string>>): RegExp {
  const parts = template.split(/(\{\w+\})/);
  const source = parts
    .map((part) => {
      const key = /^\{(\w+)\}$/.exec(part)?.[1];
      if (key === undefined) return escapeRegExp(part);
      const value = values[key];
      // An email is matched in any case: the service may quote it as stored, not as sent.
      if (key === "email" && value !== undefined) return caseless(value);
      return value === undefined ? "[\\s\\S]+" : escapeRegExp(value);
    })
    .join("");
  return new RegExp(`^${source}$`);
}

/** Does a message say what the template says, with these values? */
export function matchesTemplate(template: string, values: Readonly<Record<string, string>>, message: unknown): boolean {
  return typeof message === "string" && templatePattern(template, values).test(message);
}

/** A pattern matching the text in any letter case (JavaScript has no inline case-insensitive group). */
function caseless(text: string): string {
  return [...text].map((c) => (c.toLowerCase() !== c.toUpperCase() ? `[${escapeRegExp(c.toLowerCase())}${escapeRegExp(c.toUpperCase())}]` : escapeRegExp(c))).join("");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
