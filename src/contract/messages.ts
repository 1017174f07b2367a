/**
 * @module contract/messages
 * The messages the contract documents, read from the named examples of openapi.yaml, never retyped.
 */
import type { OpenApiDocument, Tier } from "./load-spec.js";

/** The named examples whose `message` the fake sends and the conformance suite expects. */
export type MessageName =
  | "userDoesNotExist"
  | "userNotInOrganization"
  | "notAllowedToUpdateProfile"
  | "demographicFieldsLocked"
  | "phoneNumberInUse"
  | "missingApiKey"
  | "unknownApiKey"
  | "malformedJson"
  | "invalidRequestBody"
  | "malformedHttpRequest"
  | "methodNotAllowed"
  | "payloadTooLarge"
  | "unsupportedMediaType"
  | "stateNotSaved"
  | "adminNotFound"
  | "adminInvalid"
  | "adminInvalidQuery"
  | "adminForbidden"
  | "requestTimeout";

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
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
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
      return value === undefined ? "[\\s\\S]+" : escapeRegExp(value);
    })
    .join("");
  return new RegExp(`^${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
