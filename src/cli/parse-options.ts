/**
 * @module cli/parse-options
 * Flag parsing shared by the commands: node:util parseArgs, with errors that say what to do.
 */
import { loadContract } from "../contract/contract.js";
import { delayProblem, maxDelayMs, parseDelay, type Delay } from "../fake/core/delay.js";

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

/** "102400", "100kb", "1mb" → bytes (k and m are 1,024-based). */
export function bytesFrom(value: string, source: string): number {
  const match = /^(\d+)\s*(b|kb|k|kib|mb|m|mib)?$/i.exec(value.trim());
  const unit = match?.[2]?.toLowerCase()[0];
  const bytes = match ? Number(match[1]) * (unit === "k" ? 1024 : unit === "m" ? 1024 * 1024 : 1) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1)
    throw new UsageError(`${source} must be a size in bytes, e.g. 102400, 100kb or 1mb (received "${value}").`);
  return bytes;
}

/** "250" → {ms: 250}; "100-400" → a random delay between 100 and 400 ms: the fake's one delay parser and check. */
export function delayFrom(value: string, source: string): Delay {
  const contract = loadContract();
  const delay = parseDelay(value);
  if (delay && !delayProblem(contract, delay)) return delay;
  throw new UsageError(`${source} must be milliseconds up to ${maxDelayMs(contract)}, e.g. 250, or a range such as 100-400 (received "${value}").`);
}

/** A whole number, 0 or more (at most `max`). */
export function countFrom(value: string, source: string, max = Number.MAX_SAFE_INTEGER): number {
  const count = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(count) || count > max) throw new UsageError(`${source} must be a whole number from 0 to ${max} (received "${value}").`);
  return count;
}

/**
 * A flag error quotes the argument it could not place: "--api-key= sk_live_…" (a stray space) would print the key.
 * Only option names are kept.
 */
export function hideValues(message: string): string {
  return message.replace(/'([^']*)'/g, (whole, value: string) => (value.startsWith("-") ? whole : "'<value hidden>'"));
}
