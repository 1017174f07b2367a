/**
 * @module contract/contract
 * Everything the fake and the conformance suite read from openapi.yaml, compiled once.
 */
import { createRequire } from "node:module";
import type { ValidateFunction } from "ajv/dist/2020.js";
import { isBuiltSpec, loadSpec, type JsonSchema, type OpenApiDocument, type Tier } from "./load-spec.js";
import { documentedMessage, type DocumentedMessage, type MessageName } from "./messages.js";
import { deref, readPointer, toPointer } from "./pointer.js";
import { createSchemaCompiler, type PrecompiledValidators, type Validator } from "./validators.js";

export const UPDATE_PROFILE_PATH = "/api/v1/users";
export const UPDATE_PROFILE_METHOD = "post";

const REQUEST_POINTER = toPointer(["paths", UPDATE_PROFILE_PATH, UPDATE_PROFILE_METHOD, "requestBody", "content", "application/json", "schema"]);
const FIXTURE_SET_POINTER = "/components/schemas/FixtureSet";
/** The validators the fake needs before its first answer: the build precompiles these (scripts/build-contract.mjs). */
export const PRECOMPILED_POINTERS: readonly string[] = [REQUEST_POINTER, FIXTURE_SET_POINTER];

export interface Contract {
  spec: OpenApiDocument;
  /** Validates a parsed request body of updateUserProfile. */
  validateUpdateRequest: Validator;
  /** Validates a whole fixtures file (FixtureSet). */
  validateFixtureSet: Validator;
  /** A validator for the schema at this JSON pointer into openapi.yaml (compiled on its first call, then cached). */
  schemaValidator(pointer: string): Validator;
  /** The validator of the JSON body the contract gives for this status, or undefined if the status is undocumented. */
  responseValidator(path: string, method: string, status: number): Validator | undefined;
  /**
   * The statuses documented for an operation. For "deployment", without those only the kit sends: the fake
   * (x-kit-fake-only: injected faults, a state file that cannot be written) or the proxy (x-kit-proxy-only: the
   * deployment unreachable or too slow). A real service is judged without them.
   */
  documentedStatuses(path: string, method: string, audience?: "fake" | "deployment"): number[];
  /** Whether the page documents this status of an operation, or the kit infers it; undefined when the contract lacks it. */
  statusTier(path: string, method: string, status: number): Tier | undefined;
  message(name: MessageName): DocumentedMessage;
  /** "Profile updated successfully": the const of UpdateProfileSuccess.message. */
  successMessage: string;
  /** The fields UPDATE_PROFILE may change: every property of UpdateProfileData but email. */
  profileFields: readonly string[];
  /** The profile fields the request schema lets a client send as null (to clear them): address2. */
  nullableProfileFields: readonly string[];
  /** The fields the demographic lock protects (x-kit-locked-fields). */
  lockedFields: readonly string[];
  /** The case statuses that lock them (x-kit-locking of CaseStatus). */
  lockingStatuses: readonly string[];
  /**
   * The inferred answers a fixtures file may set (FixtureAnswers), each with the placeholders its message may use
   * (x-kit-placeholders).
   */
  alignableAnswers: Readonly<Record<string, readonly string[]>>;
}

let cached: Contract | undefined;

/** Compiles the contract; the default openapi.yaml is compiled once per process. */
export function loadContract(specPath?: string): Contract {
  if (!specPath && cached) return cached;
  const contract = compileContract(loadSpec(specPath));
  if (!specPath) cached = contract;
  return contract;
}

export function compileContract(spec: OpenApiDocument): Contract {
  const compile = createSchemaCompiler(spec, isBuiltSpec(spec) ? loadPrecompiled() : undefined);
  const messages = new Map<MessageName, DocumentedMessage>();
  const data = spec.components.schemas.UpdateProfileData;
  const caseStatus = spec.components.schemas.CaseStatus;
  const successMessage = spec.components.schemas.UpdateProfileSuccess?.properties?.message?.const;
  if (!data?.properties || !caseStatus || typeof successMessage !== "string") {
    throw new Error("Failed to compile the contract: openapi.yaml lacks UpdateProfileData, CaseStatus or UpdateProfileSuccess.message.");
  }

  return {
    spec,
    validateUpdateRequest: compile(REQUEST_POINTER),
    validateFixtureSet: compile(FIXTURE_SET_POINTER),
    // Compiled on its first use: the fake builds validators for every admin route at start, and should not wait for ajv.
    schemaValidator: (pointer) => {
      let validator: Validator | undefined;
      return (value) => (validator ??= compile(pointer))(value);
    },
    responseValidator(path, method, status) {
      const pointer = responseSchemaPointer(spec, path, method, status);
      return pointer === undefined ? undefined : compile(pointer);
    },
    documentedStatuses(path, method, audience = "fake") {
      const responses = readPointer(spec, toPointer(["paths", path, method, "responses"])) as Record<string, unknown> | undefined;
      return Object.entries(responses ?? {})
        .filter(([, response]) => audience === "fake" || !servedByKitOnly(deref<KitOnlyMarks>(spec, response)))
        .map(([status]) => Number(status))
        .filter(Number.isInteger);
    },
    statusTier(path, method, status) {
      const response = deref<{ "x-kit-tier"?: Tier } | undefined>(
        spec,
        readPointer(spec, toPointer(["paths", path, method, "responses", String(status)])),
      );
      if (!response) return undefined;
      return response["x-kit-tier"] ?? "documented";
    },
    message: (name) => {
      // Read once per name: the fake asks on every failure it answers.
      let documented = messages.get(name);
      if (!documented) messages.set(name, (documented = documentedMessage(spec, name)));
      return documented;
    },
    successMessage,
    profileFields: Object.keys(data.properties).filter((field) => field !== "email"),
    nullableProfileFields: Object.entries(data.properties)
      .filter(([, schema]) => {
        const type = deref<JsonSchema>(spec, schema).type; // a field's rules live in a named schema ($ref)
        return Array.isArray(type) && type.includes("null");
      })
      .map(([field]) => field),
    lockedFields: (data["x-kit-locked-fields"] as string[] | undefined) ?? [],
    lockingStatuses: (caseStatus["x-kit-locking"] as string[] | undefined) ?? [],
    alignableAnswers: Object.fromEntries(
      Object.entries(spec.components.schemas.FixtureAnswers?.properties ?? {}).map(([name, schema]) => [
        name,
        ((schema as JsonSchema)["x-kit-placeholders"] as string[] | undefined) ?? [],
      ]),
    ),
  };
}

/** The marks of an answer only the kit itself sends, never a deployment. */
interface KitOnlyMarks {
  "x-kit-fake-only"?: boolean;
  "x-kit-proxy-only"?: boolean;
}

function servedByKitOnly(response: KitOnlyMarks): boolean {
  return response["x-kit-fake-only"] === true || response["x-kit-proxy-only"] === true;
}

/** Follows a response `$ref` and returns the pointer of its application/json schema. */
function responseSchemaPointer(spec: OpenApiDocument, path: string, method: string, status: number): string | undefined {
  let pointer = toPointer(["paths", path, method, "responses", String(status)]);
  let response = readPointer(spec, pointer) as { $ref?: string } | undefined;
  while (response?.$ref) {
    pointer = response.$ref.replace(/^#/, "");
    response = readPointer(spec, pointer) as { $ref?: string } | undefined;
  }
  if (!response) return undefined;
  const schemaPointer = `${pointer}${toPointer(["content", "application/json", "schema"])}`;
  return readPointer(spec, schemaPointer) === undefined ? undefined : schemaPointer;
}

/** The build's standalone validators (dist/contract/precompiled-validators.cjs), if this is a build. */
function loadPrecompiled(): PrecompiledValidators | undefined {
  try {
    const module = createRequire(import.meta.url)("./precompiled-validators.cjs") as Record<string, unknown> & { pointers: Record<string, string> };
    return new Map(Object.entries(module.pointers).map(([name, pointer]) => [pointer, module[name] as ValidateFunction]));
  } catch {
    return undefined;
  }
}
