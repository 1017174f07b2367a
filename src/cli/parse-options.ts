/**
 * @module cli/parse-options
 * Flag parsing shared by the commands: node:util parseArgs, with errors that say what to do.
 */

export class UsageError extends Error {
  override name = "UsageError";
}

/** Runs a node:util parseArgs call, turning its errors into a UsageError that shows the help. */
export function withUsage<T>(parse: () => T, help: string): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${help}`);
  }
}

/** A whole number from a flag or an environment variable, or a UsageError naming where it came from. */
export function portFrom(value: string | undefined, source: string, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`${source} must be a port number from 0 to 65535 (received "${value}").`);
  }
  return port;
}

/**
 * A flag error quotes the argument it could not place: "--api-key= sk_live_…" (a stray space) would print the key.
 * Only option names are kept.
 */
export function hideValues(message: string): string {
  return message.replace(/'([^']*)'/g, (whole, value: string) => (value.startsWith("-") ? whole : "'<value hidden>'"));
}

/** The options `conform` and `drift` share: which scenarios run, and how long a request may take. */
export const SELECTION_OPTIONS = {
  scenarios: { type: "string" },
  "read-only": { type: "boolean" },
  only: { type: "string" },
  skip: { type: "string" },
  "allow-skip": { type: "string" },
  timeout: { type: "string" },
} as const;

/** The longest --timeout: ten minutes. */
export const MAX_TIMEOUT_MS = 600_000;

const list = (value: string | undefined) => (value ? value.split(",").map((s) => s.trim()).filter(Boolean) : []);

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
