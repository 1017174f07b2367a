/**
 * @module fake/http/admin-routes
 * The admin API's routes, read from openapi.yaml (the paths under /__admin): which paths exist, which methods each
 * takes, which query parameters each operation declares and which body schema it validates. The admin API is then
 * exactly what the contract describes: an undescribed path is 404, an undescribed method 405, an undeclared query
 * parameter 400.
 */
import type { Contract } from "../../contract/contract.js";
import { deref, toPointer } from "../../contract/pointer.js";
import type { Validator } from "../../contract/validators.js";
import { isCollection, type Collection } from "../state/types.js";
import { ADMIN_PREFIX } from "../core/fake-core.js";

/** Where the admin API lives (WireMock's convention); the core names it, to tell admin paths from the API's. */
export { ADMIN_PREFIX };

export type AdminOperationKind =
  | "list"
  | "create"
  | "read"
  | "patch"
  | "replace"
  | "delete"
  | "reset"
  | "dump"
  | "health"
  | "shutdown"
  | "listRequests"
  | "clearRequests"
  | "findRequests"
  | "countRequests"
  | "addFault"
  | "listFaults"
  | "clearFaults"
  | "readFault"
  | "deleteFault";

/** The operations that are not about a collection, by path and method. */
const FIXED_KINDS: Readonly<Record<string, AdminOperationKind>> = {
  "POST /__admin/reset": "reset",
  "GET /__admin/db": "dump",
  "GET /__admin/health": "health",
  "POST /__admin/shutdown": "shutdown",
  "GET /__admin/requests": "listRequests",
  "DELETE /__admin/requests": "clearRequests",
  "POST /__admin/requests/find": "findRequests",
  "POST /__admin/requests/count": "countRequests",
  "POST /__admin/faults": "addFault",
  "GET /__admin/faults": "listFaults",
  "DELETE /__admin/faults": "clearFaults",
  "GET /__admin/faults/{id}": "readFault",
  "DELETE /__admin/faults/{id}": "deleteFault",
};

export interface QueryParameter {
  validate: Validator;
  /** Query values arrive as text: an integer parameter is turned into a number before it is validated. */
  integer: boolean;
}

export interface AdminOperation {
  operationId: string;
  kind: AdminOperationKind;
  collection?: Collection;
  query: ReadonlyMap<string, QueryParameter>;
  /** Operations that take a body: its schema, and whether it may be empty. */
  body?: { validate: Validator; required: boolean };
}

export interface AdminRoute {
  /** e.g. "/__admin/users/{id}" */
  template: string;
  segments: readonly string[];
  /** By method, upper case. */
  operations: ReadonlyMap<string, AdminOperation>;
}

export interface AdminMatch {
  route: AdminRoute;
  /** The decoded `{id}`, for record paths. */
  id?: string;
}

type RawParameter = { name: string; in: string; schema?: { type?: unknown } };
type RawOperation = { operationId: string; parameters?: unknown[]; requestBody?: { required?: boolean } };

export function adminRoutes(contract: Contract): AdminRoute[] {
  const { spec } = contract;
  return Object.entries(spec.paths)
    .filter(([template]) => template.startsWith(`${ADMIN_PREFIX}/`))
    .map(([template, item]) => {
      const segments = template.split("/");
      const operations = new Map<string, AdminOperation>();
      for (const [method, raw] of Object.entries(item)) {
        if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
        const at = (...rest: (string | number)[]) => toPointer(["paths", template, method, ...rest]);
        const operation = raw as RawOperation;
        const query = new Map<string, QueryParameter>();
        (operation.parameters ?? []).forEach((param, i) => {
          const ref = (param as { $ref?: string }).$ref;
          const resolved = deref<RawParameter>(spec, param);
          if (resolved.in !== "query") return;
          const pointer = ref ? `${ref.replace(/^#/, "")}/schema` : at("parameters", i, "schema");
          const schema = deref<{ type?: unknown }>(spec, resolved.schema);
          query.set(resolved.name, { validate: contract.schemaValidator(pointer), integer: schema.type === "integer" });
        });
        const body = operation.requestBody
          ? {
              validate: contract.schemaValidator(at("requestBody", "content", "application/json", "schema")),
              required: operation.requestBody.required === true,
            }
          : undefined;
        operations.set(method.toUpperCase(), {
          operationId: operation.operationId,
          ...kindOf(template, segments, method),
          query,
          ...(body ? { body } : {}),
        });
      }
      return { template, segments, operations };
    });
}

/** Which handler serves an operation, from the shape of its path. */
function kindOf(template: string, segments: readonly string[], method: string): { kind: AdminOperationKind; collection?: Collection } {
  const [, , name, id, ...rest] = segments;
  const fixed = FIXED_KINDS[`${method.toUpperCase()} ${template}`];
  if (fixed) return { kind: fixed };
  if (name && isCollection(name) && rest.length === 0) {
    const kinds: Record<string, AdminOperationKind> =
      id === "{id}" ? { get: "read", patch: "patch", put: "replace", delete: "delete" } : id === undefined ? { get: "list", post: "create" } : {};
    const kind = kinds[method];
    if (kind) return { kind, collection: name };
  }
  throw new Error(`openapi.yaml describes ${method.toUpperCase()} ${template}, which the fake's admin API does not serve.`);
}

/** Finds the route of a request path (no query string); undefined when openapi.yaml describes no such path. */
export function matchAdminRoute(routes: readonly AdminRoute[], path: string): AdminMatch | undefined {
  const segments = path.split("/");
  for (const route of routes) {
    if (route.segments.length !== segments.length) continue;
    let id: string | undefined;
    const matches = route.segments.every((expected, i) => {
      const actual = segments[i]!;
      if (expected !== "{id}") return actual === expected;
      try {
        id = decodeURIComponent(actual);
      } catch {
        return false; // not valid percent-encoding: no record has that id
      }
      return id.length > 0;
    });
    if (matches) return { route, ...(id !== undefined ? { id } : {}) };
  }
  return undefined;
}

/** Checks a raw query string against an operation's declared parameters. */
export function checkQuery(operation: AdminOperation, search: string): { ok: true; values: Record<string, string> } | { ok: false; detail: string } {
  const values: Record<string, string> = Object.create(null) as Record<string, string>;
  const declared = [...operation.query.keys()];
  for (const [name, value] of new URLSearchParams(search)) {
    const parameter = operation.query.get(name);
    if (!parameter) {
      const accepted = declared.length > 0 ? `it takes ${declared.join(", ")}` : "it takes no query parameter";
      return { ok: false, detail: `unknown parameter "${name}": ${operation.operationId} does not serve it (${accepted})` };
    }
    if (name in values) return { ok: false, detail: `parameter "${name}" is repeated: send it once` };
    const typed = parameter.integer && /^-?\d+$/.test(value) ? Number(value) : value;
    const issues = parameter.validate(typed);
    if (issues.length > 0) return { ok: false, detail: issues.map((issue) => `${name} ${issue.message}`).join("; ") };
    values[name] = value;
  }
  return { ok: true, values };
}
