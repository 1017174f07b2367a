/**
 * @module contract/load-spec
 * Reads openapi.yaml, the single source of truth of the kit, once per process.
 */
import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

// The YAML parser is loaded only when the built JSON copy cannot be used (it costs ~20 ms at startup).
const parseYaml = (text: string): unknown => (createRequire(import.meta.url)("yaml") as typeof import("yaml")).parse(text);

/** Where the contract lives: the package root, two levels above this file in src/ and in dist/. */
export const SPEC_PATH = fileURLToPath(new URL("../../openapi.yaml", import.meta.url));

/** The parsed OpenAPI document. Only the parts the kit reads are typed. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; "x-errata"?: { id: string; text: string }[] };
  paths: Record<string, Record<string, unknown>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, unknown>;
    examples: Record<string, { summary?: string; "x-kit-tier"?: Tier; value: unknown }>;
  };
}

export type Tier = "documented" | "inferred";

export interface JsonSchema {
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: string[];
  [key: string]: unknown;
}

/** The build's JSON copy of openapi.yaml (dist/openapi.json); absent when running from src/. */
const SPEC_JSON_PATH = fileURLToPath(new URL("../openapi.json", import.meta.url));

let cached: OpenApiDocument | undefined;
/** Documents read from the build's JSON copy: the build's precompiled validators match them. */
const fromBuild = new WeakSet<OpenApiDocument>();

export function isBuiltSpec(doc: OpenApiDocument): boolean {
  return fromBuild.has(doc);
}

/** Parses openapi.yaml (or the file given) and caches the default one. */
export function loadSpec(path: string = SPEC_PATH): OpenApiDocument {
  if (path === SPEC_PATH && cached) return cached;
  const doc = (path === SPEC_PATH ? readBuiltJson() : undefined) ?? (parseYaml(readFileSync(path, "utf8")) as OpenApiDocument);
  if (typeof doc?.openapi !== "string" || !doc.openapi.startsWith("3.1")) {
    throw new Error(`Failed to load the contract: ${path} is not an OpenAPI 3.1 document.`);
  }
  if (path === SPEC_PATH) cached = doc;
  return doc;
}

/** The JSON copy written by the build, if it is at least as new as openapi.yaml (else the YAML wins). */
function readBuiltJson(): OpenApiDocument | undefined {
  try {
    if (statSync(SPEC_JSON_PATH).mtimeMs < statSync(SPEC_PATH).mtimeMs) return undefined;
    const doc = JSON.parse(readFileSync(SPEC_JSON_PATH, "utf8")) as OpenApiDocument;
    fromBuild.add(doc);
    return doc;
  } catch {
    return undefined;
  }
}
