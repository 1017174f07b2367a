/**
 * @module cli/reporter-options
 * A command's report flags come from its reporters' registry (src/conformance/reporters/registry.ts): each is
 * `--<flag> <file>` with the reporter's own help line, in the command's options table.
 */
import type { ReporterSpec } from "../conformance/reporters/define-reporter.js";
import type { CommandOption } from "./options-table.js";

export function reporterOptions<const Specs extends readonly ReporterSpec<never>[]>(
  reporters: Specs,
  section?: string,
): Record<Specs[number]["flag"], CommandOption & { type: "string"; value: string }> {
  const entries = reporters.map((r) => [r.flag, { type: "string", value: "<file>", help: r.help, ...(section ? { section } : {}) }]);
  return Object.fromEntries(entries) as Record<Specs[number]["flag"], CommandOption & { type: "string"; value: string }>;
}
