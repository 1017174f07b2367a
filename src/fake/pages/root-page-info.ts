/**
 * @module fake/pages/root-page-info
 * What the start page needs from the contract, read once: the endpoint, the exact failure messages, the admin API's
 * paths and their summaries (from openapi.yaml, as the admin API itself reads them), and the rules' configuration.
 */
import type { Contract } from "../../contract/contract.js";
import { UPDATE_PROFILE_METHOD, UPDATE_PROFILE_PATH } from "../../contract/contract.js";
import { PROFILE_FAILURES, type ProfileFailure } from "../rules/registry.js";
import type { RuleConfig } from "../rules/rule-config.js";

export interface AdminLink {
  method: string;
  /** e.g. "/__admin/users" */
  path: string;
  summary: string;
}

export interface RootPageInfo {
  /** "POST /api/v1/users" */
  endpoint: { method: string; path: string };
  /** The contract's summary of the endpoint ("Update user profile"). */
  endpointSummary: string;
  /** Whether the contract describes the search on the same path (GET, the vendor's search users page). */
  search: boolean;
  /** The rules as the fake applies them (with any rule switched off). */
  rules: RuleConfig;
  /** "Profile updated successfully". */
  successMessage: string;
  /** The exact message of each failure an update can meet, `{email}` unfilled. */
  messages: Readonly<Record<ProfileFailure, string>>;
  /** Every admin operation whose path has no parameter, in the contract's order. */
  admin: readonly AdminLink[];
  /** Where the fake serves the API reference; undefined when it was not built. */
  referencePath: string | undefined;
}

export function rootPageInfo(contract: Contract, rules: RuleConfig, referencePath: string | undefined): RootPageInfo {
  const { spec } = contract;
  const operation = spec.paths[UPDATE_PROFILE_PATH]?.[UPDATE_PROFILE_METHOD] as { summary?: string } | undefined;
  const admin: AdminLink[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    if (!path.startsWith("/__admin/") || path.includes("{")) continue;
    for (const [method, raw] of Object.entries(item)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
      admin.push({ method: method.toUpperCase(), path, summary: (raw as { summary?: string }).summary ?? "" });
    }
  }
  return {
    endpoint: { method: UPDATE_PROFILE_METHOD.toUpperCase(), path: UPDATE_PROFILE_PATH },
    endpointSummary: operation?.summary ?? "",
    search: spec.paths[UPDATE_PROFILE_PATH]?.get !== undefined,
    rules,
    successMessage: contract.successMessage,
    messages: Object.fromEntries(PROFILE_FAILURES.map((name) => [name, contract.message(name).template])) as Record<ProfileFailure, string>,
    admin,
    referencePath,
  };
}
