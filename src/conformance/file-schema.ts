/**
 * @module conformance/file-schema
 * Scenario and target files are checked by validators compiled from the JSON Schemas beside them
 * (conformance/scenario.schema.json, conformance/target.schema.json: the package ships both, for editors too).
 * An ajv error becomes one line a person can act on: what is wrong, where, and the fix ("did you mean").
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { didYouMean } from "./suggest.js";

const require = createRequire(import.meta.url);

type Schema = { properties?: Record<string, unknown>; $ref?: string; $defs?: Record<string, Schema>; examples?: unknown[] } & Record<string, unknown>;

/** conformance/<name>.schema.json in the package (the same path from src/ and dist/). */
export function fileSchemaPath(name: "scenario" | "target"): string {
  return new URL(`../../conformance/${name}.schema.json`, import.meta.url).pathname;
}

/**
 * A check of one value against a definition of a schema file (`#` for the whole file): the first problem as one line
 * ("steps[0].expect: unknown key stauts (did you mean status?) (it has …)."), or undefined when the value is valid.
 */
export function compileFileSchema(name: "scenario" | "target", pointer: string, rootNoun: string): (value: unknown) => string | undefined {
  let compiled: { schema: Schema; validate: ValidateFunction } | undefined;
  return (value) => {
    const { schema, validate } = (compiled ??= compile(name, pointer));
    return validate(value) ? undefined : describeFirst(validate.errors ?? [], schema, rootNoun);
  };
}

// Compiled on first use: importing the runner loads no ajv until a file is read.
function compile(name: "scenario" | "target", pointer: string): { schema: Schema; validate: ValidateFunction } {
  const schema = JSON.parse(readFileSync(fileSchemaPath(name), "utf8")) as Schema;
  const { Ajv2020 } = require("ajv/dist/2020") as typeof import("ajv/dist/2020.js");
  // verbose: each error carries the schema it broke, whose property names make the "did you mean" list.
  const ajv = new Ajv2020({ allErrors: true, verbose: true });
  ajv.addSchema(schema);
  return { schema, validate: ajv.compile({ $ref: `${String(schema.$id)}#${pointer}` }) };
}

/**
 * The most precise error: the deepest place, a branch's own words before the anyOf/oneOf that sums them up, and an
 * unknown key before the missing one it is most likely a misspelling of.
 */
function describeFirst(errors: readonly ErrorObject[], root: Schema, rootNoun: string): string {
  // A key missing from one branch of "one of these" says less than the alternatives themselves (the oneOf's description).
  const isBranchRequired = (error: ErrorObject) => error.keyword === "required" && /\/(oneOf|anyOf)\/\d+\/required$/.test(error.schemaPath);
  const said = errors.filter((error) => !isBranchRequired(error));
  const precise = said.filter((error) => !["anyOf", "oneOf", "if"].includes(error.keyword));
  const pick = [...(precise.length > 0 ? precise : said)].sort(
    (a, b) => depth(b) - depth(a) || Number(isUnknownKey(b)) - Number(isUnknownKey(a)),
  )[0]!;
  return describe(pick, root, rootNoun);
}

function isUnknownKey(error: ErrorObject): boolean {
  return error.keyword === "additionalProperties" || error.keyword === "unevaluatedProperties";
}

function depth(error: ErrorObject): number {
  const extra = ["additionalProperties", "unevaluatedProperties", "required", "dependentRequired"].includes(error.keyword) ? 1 : 0;
  return error.instancePath.split("/").length + extra;
}

function describe(error: ErrorObject, root: Schema, rootNoun: string): string {
  const where = fieldPath(error.instancePath);
  const at = where === "" ? "" : `${where}: `;
  const params = error.params as Record<string, unknown>;
  const schema = (error.parentSchema ?? {}) as Schema;
  switch (error.keyword) {
    case "additionalProperties":
    case "unevaluatedProperties": {
      const key = String(params.additionalProperty ?? params.unevaluatedProperty);
      const known = propertyNames(schema, root);
      return `unknown key ${join(where, key)}${didYouMean(key, known)} (${where === "" ? rootNoun : where} has ${known.join(", ")}).`;
    }
    case "required":
      return `${at}"${String(params.missingProperty)}" is missing: add it.`;
    case "dependentRequired":
      return `${at}has "${String(params.property)}" but no "${String(params.missingProperty)}": add it.`;
    case "enum":
      return `${where} must be ${(params.allowedValues as unknown[]).map(String).join(" or ")} (received ${JSON.stringify(error.data)}).`;
    case "type":
      return `${where || rootNoun} must be ${article(String(params.type))} (received ${JSON.stringify(error.data)}).`;
    case "minItems":
    case "minLength":
      return `${where} must not be empty.`;
    case "pattern":
      return `${where} must be ${patternWords(schema, String(params.pattern))} (received ${JSON.stringify(error.data)}).`;
    case "oneOf":
      return `${where || rootNoun} must be ${lowerFirst(String(schema.description ?? error.message))}`;
    default:
      return `${at}${error.message ?? `breaks the rule ${error.keyword}`}.`;
  }
}

/** The keys a mapping may have: its properties and those of the definitions it refers to. */
function propertyNames(schema: Schema, root: Schema): string[] {
  const own = Object.keys(schema.properties ?? {}).filter((key) => key !== "$schema");
  const referred = schema.$ref?.startsWith("#/$defs/") ? root.$defs?.[schema.$ref.slice("#/$defs/".length)] : undefined;
  return [...(referred ? propertyNames(referred, root) : []), ...own];
}

/** "/steps/0/expect" → "steps[0].expect" */
function fieldPath(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : join(path, s)), "");
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

/** "a phone number in E.164 like +15550009999", from the definition's description and first example. */
function patternWords(schema: Schema, pattern: string): string {
  const description = String(schema.description ?? "").replace(/\.$/, "");
  const words = description === "" ? `like ${pattern}` : lowerFirst(description);
  return schema.examples ? `${words} like ${String(schema.examples[0])}` : words;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function article(type: string): string {
  return { object: "a mapping", array: "a list", string: "a string", integer: "an integer", boolean: "true or false" }[type] ?? type;
}
