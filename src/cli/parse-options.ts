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
