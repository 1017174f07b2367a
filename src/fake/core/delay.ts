/**
 * @module fake/core/delay
 * The one reading of a delay, wherever it comes from: `Prefer: delay=…`, `serve --delay`, createFake's `delay`
 * option and a fault's `delay` (POST /__admin/faults, fake.faults.add). Its rules are openapi.yaml's FaultDelay,
 * checked by the ajv validator compiled from it, plus the one rule JSON Schema cannot say: min ≤ max.
 */
import type { Contract } from "../../contract/contract.js";
import type { components } from "../../generated/openapi.js";

/** A fixed delay, or one picked between min and max for each request (openapi.yaml's FaultDelay). */
export type Delay = components["schemas"]["FaultDelay"];

export const DELAY_POINTER = "/components/schemas/FaultDelay";

/** "250" → {ms: 250}; "100-400" → {min: 100, max: 400}; anything else (or too many digits) → undefined. */
export function parseDelay(text: string): Delay | undefined {
  const fixed = /^(\d{1,9})$/.exec(text);
  if (fixed) return { ms: Number(fixed[1]) };
  const range = /^(\d{1,9})-(\d{1,9})$/.exec(text);
  return range ? { min: Number(range[1]), max: Number(range[2]) } : undefined;
}

/** Why a value is not a delay (prefixed with `field`, e.g. "delay"), or undefined. */
export function delayProblem(contract: Contract, delay: unknown, field = "delay"): string | undefined {
  const issues = contract.schemaValidator(DELAY_POINTER)(delay);
  // FaultDelay is a union: ajv's words for each branch would say the same thing twice over.
  if (issues.length > 0) return `${field} must be {"ms": n} or {"min": n, "max": n}, whole milliseconds from 0 to ${maxDelayMs(contract)}`;
  const range = delay as Delay;
  if ("min" in range && range.min > range.max) return `${field}.min must not be more than ${field}.max`;
  return undefined;
}

/** The longest delay openapi.yaml allows (FaultDelay's `ms` maximum). */
export function maxDelayMs(contract: Contract): number {
  const schema = contract.spec.components.schemas.FaultDelay as { anyOf?: { properties?: { ms?: { maximum?: number } } }[] } | undefined;
  return schema?.anyOf?.[0]?.properties?.ms?.maximum ?? 60_000;
}

/** A delay's length for one request: fixed, or uniform between min and max. */
export function delayLength(delay: Delay | undefined, random: () => number = Math.random): number | undefined {
  if (delay === undefined) return undefined;
  if ("ms" in delay) return delay.ms;
  return delay.min + Math.floor(random() * (delay.max - delay.min + 1));
}
