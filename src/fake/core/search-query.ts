/**
 * @module fake/core/search-query
 * The query string of GET /api/v1/users, read by the operation's own parameters in openapi.yaml (the vendor's search
 * users page): which names it declares, their defaults and their rules all come from there, checked with the
 * contract's validators. A parameter the operation does not declare is ignored, as most services do; a declared one
 * given twice, or a value its schema refuses, is refused with what to send instead.
 */
import type { Contract } from "../../contract/contract.js";
import { UPDATE_PROFILE_PATH } from "../../contract/contract.js";
import { deref, toPointer } from "../../contract/pointer.js";
import type { SearchQuery } from "../rules/search-users.js";

export type ParsedSearchQuery = { ok: true; query: SearchQuery } | { ok: false; detail: string };

interface QueryParameter {
  name: string;
  /** JSON pointer to its schema in openapi.yaml. */
  pointer: string;
  type?: string;
  default?: unknown;
}

/** The declared query parameters of GET /api/v1/users, once per contract. */
const declaredCache = new WeakMap<Contract, QueryParameter[]>();

function declaredParameters(contract: Contract): QueryParameter[] {
  let declared = declaredCache.get(contract);
  if (!declared) {
    const at = ["paths", UPDATE_PROFILE_PATH, "get", "parameters"] as const;
    const list = (deref<{ parameters?: unknown[] }>(contract.spec, contract.spec.paths[UPDATE_PROFILE_PATH]?.get).parameters ?? []) as unknown[];
    declared = list.flatMap((p, i) => {
      const param = deref<{ name: string; in: string; schema?: { type?: string; default?: unknown } }>(contract.spec, p);
      if (param.in !== "query") return [];
      // A $ref'd parameter's schema lives where the reference points; these are written inline.
      return [{ name: param.name, pointer: toPointer([...at, i, "schema"]), type: param.schema?.type, default: param.schema?.default }];
    });
    declaredCache.set(contract, declared);
  }
  return declared;
}

export function parseSearchQuery(contract: Contract, queryString: string): ParsedSearchQuery {
  // URLSearchParams never throws: a stray % stays as it is, as most services read it.
  const params = new URLSearchParams(queryString);
  const values: Record<string, unknown> = {};
  for (const { name, pointer, type, default: fallback } of declaredParameters(contract)) {
    const given = params.getAll(name);
    if (given.length > 1) return { ok: false, detail: `${name} is given ${given.length} times; give it once` };
    if (given.length === 0) {
      if (fallback !== undefined) values[name] = fallback;
      continue;
    }
    const text = given[0]!;
    // A query value is text: an integer parameter is read as one only when it is written as one.
    const value = type === "integer" && /^-?\d{1,15}$/.test(text) ? Number(text) : text;
    const issue = contract.schemaValidator(pointer)(value)[0];
    if (issue)
      return {
        ok: false,
        detail: `${name} ${issue.message} (received ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)})${name === "after" ? ": pass meta.cursor of the previous page, or leave it out for the first page" : ""}`,
      };
    values[name] = value;
  }
  // The page's text spells the order `sortOrder`, its parameter `sorOrder`: one order, however it is spelt.
  if (values.sorOrder !== undefined && values.sortOrder !== undefined && params.has("sorOrder") && values.sorOrder !== values.sortOrder) {
    return { ok: false, detail: "sorOrder and sortOrder disagree; give one of them" };
  }
  const order = (params.has("sortOrder") && !params.has("sorOrder") ? values.sortOrder : values.sorOrder) as SearchQuery["order"];
  const query: SearchQuery = { email: (values.email as string | undefined) ?? "", limit: values.limit as number, order };
  return { ok: true, query: typeof values.after === "string" ? { ...query, after: values.after } : query };
}

/** The email filter of a search, for matching faults by email. */
export function searchEmailOf(queryString: string): string | undefined {
  return new URLSearchParams(queryString).get("email") ?? undefined;
}
