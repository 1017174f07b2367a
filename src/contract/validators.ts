/**
 * @module contract/validators
 * Validators compiled with ajv (JSON Schema 2020-12, as OpenAPI 3.1 uses) straight from openapi.yaml.
 * No schema is written twice: every validator is a `$ref` into the document itself. The build also precompiles the
 * fake's two validators with ajv's standalone code (scripts/build-contract.mjs), so the fake starts without
 * compiling; everything else is compiled on first use.
 */
import { createRequire } from "node:module";
import type { Ajv2020, ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import type addFormatsModule from "ajv-formats";
import type { OpenApiDocument } from "./load-spec.js";

// ajv is loaded on first use only: a fake running on precompiled validators never needs it.
const require = createRequire(import.meta.url);

export const SPEC_ID = "https://cv-contract-kit.local/openapi.yaml";

/** One reason a value does not match its schema: where (`data.dob`) and which rule. */
export interface ValidationIssue {
  /** Dotted field path, e.g. `data.dob` (`body` for the whole value). */
  path: string;
  /** The same place as a JSON pointer, e.g. `/data/dob`. */
  pointer: string;
  message: string;
}

export type Validator = (value: unknown) => ValidationIssue[];

/** The one ajv instance holding the whole document; `source: true` keeps the code for standalone output. */
export function createSpecAjv(spec: OpenApiDocument, options: { source?: boolean } = {}): Ajv2020 {
  const { Ajv2020: AjvClass } = require("ajv/dist/2020") as typeof import("ajv/dist/2020.js");
  const addFormats = require("ajv-formats") as typeof addFormatsModule.default;
  // strict: false because OpenAPI schemas carry annotations ajv does not know (example, x-kit-…).
  const ajv = new AjvClass({ allErrors: true, strict: false, validateFormats: true, ...(options.source ? { code: { source: true } } : {}) });
  addFormats(ajv);
  // The document is not meta-validated here: it is not a JSON Schema as a whole, and `npm test` lints it with Redocly.
  ajv.addSchema(spec as object, SPEC_ID, undefined, false);
  return ajv;
}

/** Validators precompiled by the build, by the JSON pointer they validate. */
export type PrecompiledValidators = ReadonlyMap<string, ValidateFunction>;

/** Compiles and caches validators for JSON pointers into one OpenAPI document. */
export function createSchemaCompiler(spec: OpenApiDocument, precompiled?: PrecompiledValidators): (pointer: string) => Validator {
  let ajv: Ajv2020 | undefined;
  const cache = new Map<string, Validator>();
  return (pointer) => {
    let validator = cache.get(pointer);
    if (!validator) {
      const validate = precompiled?.get(pointer) ?? (ajv ??= createSpecAjv(spec)).compile({ $ref: `${SPEC_ID}#${pointer}` });
      validator = (value) => (validate(value) ? [] : describeErrors(validate.errors ?? []));
      cache.set(pointer, validator);
    }
    return validator;
  };
}

/** Turns ajv errors into one issue per field and rule, in words a person can act on. */
export function describeErrors(errors: readonly ErrorObject[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    // anyOf/oneOf repeat what their branches already said.
    if (error.keyword === "anyOf" || error.keyword === "oneOf") continue;
    const issue = describeError(error);
    const key = `${issue.path} ${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  // A nullable field ("anyOf: [rule, null]") that breaks its rule also "must be null": say only the rule. A pattern
  // that spells out a format for generators (Email's) says again what the format said: say only the format.
  const formatPaths = new Set(errors.filter((error) => error.keyword === "format").map((error) => pointerToField(error.instancePath)));
  return issues.filter(
    (issue) =>
      (issue.message !== "must be null" || !issues.some((other) => other !== issue && other.path === issue.path)) &&
      !(issue.message.startsWith("must match the pattern") && formatPaths.has(issue.path)),
  );
}

function describeError(error: ErrorObject): ValidationIssue {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "required") {
    const pointer = `${error.instancePath}/${String(params.missingProperty)}`;
    return { path: pointerToField(pointer), pointer, message: "is required" };
  }
  return { path: pointerToField(error.instancePath), pointer: error.instancePath, message: ruleWords(error, params) };
}

function ruleWords(error: ErrorObject, params: Record<string, unknown>): string {
  switch (error.keyword) {
    case "enum":
      return `must be one of ${(params.allowedValues as unknown[]).map(String).join(", ")}`;
    case "const":
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case "format":
      return FORMAT_WORDS[String(params.format)] ?? `must match format "${String(params.format)}"`;
    case "pattern":
      return `must match the pattern ${String(params.pattern)}`;
    case "additionalProperties":
      return `must not have the property "${String(params.additionalProperty)}"`;
    default:
      return error.message ?? `breaks the rule "${error.keyword}"`;
  }
}

const FORMAT_WORDS: Record<string, string> = {
  date: 'must be a real calendar date in YYYY-MM-DD format (format "date")',
  email: 'must be a valid email address (format "email")',
  "date-time": 'must be an ISO 8601 date-time (format "date-time")',
};

/** "/data/dob" → "data.dob", "/users/3/role" → "users[3].role", "" → "body" */
function pointerToField(pointer: string): string {
  if (pointer === "") return "body";
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`))
    .join("");
}

/** "data.dob must be …; data.email is required" */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => `${i.path} ${i.message}`).join("; ");
}
