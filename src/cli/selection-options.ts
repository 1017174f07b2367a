/**
 * @module cli/selection-options
 * The options `conform` and `drift` share: which scenarios run, and how long a request may take.
 */
import { DEFAULT_TIMEOUT_MS } from "../conformance/run-conformance.js";
import { defineOptions } from "./options-table.js";

/** The longest --timeout: ten minutes. */
export const MAX_TIMEOUT_MS = 600_000;

export const SELECTION_OPTIONS = defineOptions({
  scenarios: { type: "string", value: "<dir>", help: "Scenario folder (default: the package's conformance/scenarios)" },
  "read-only": { type: "boolean", help: "Send nothing a conforming target would apply (profile reads are still update calls)" },
  only: { type: "string", value: "<ids,tags>", help: "Run only these scenario ids or tags" },
  skip: { type: "string", value: "<ids,tags>", help: "Leave these out" },
  "allow-skip": { type: "string", value: "<ids,tags>", help: "Documented scenarios that may be skipped for lack of an account without exit 2" },
  timeout: { type: "string", value: "<ms>", help: `Per request, body included: 1 to ${MAX_TIMEOUT_MS} (default ${DEFAULT_TIMEOUT_MS})` },
});

const list = (value: string | undefined) =>
  value
    ? value
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

export function selectionFrom(flags: { "read-only"?: boolean; only?: string; skip?: string; "allow-skip"?: string }) {
  return { readOnly: flags["read-only"] === true, only: list(flags.only), skip: list(flags.skip), allowSkip: list(flags["allow-skip"]) };
}

/** --timeout in milliseconds, or the problem with it. */
export function timeoutFrom(value: string | undefined, fallback: number): { ms: number } | { problem: string } {
  if (value === undefined) return { ms: fallback };
  const ms = Number(value);
  if (!/^\d+$/.test(value) || ms < 1 || ms > MAX_TIMEOUT_MS) {
    return { problem: `--timeout must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS} (received "${value}").` };
  }
  return { ms };
}
