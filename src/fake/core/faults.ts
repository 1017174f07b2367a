/**
 * @module fake/core/faults
 * Faults a tester asks for, to see how an app copes with a slow or failing service (WireMock's faults, Prism's
 * `Prefer` header). A fault matches API requests (POST /api/v1/users) by data.email, or every request; it can be
 * used a number of times, then it is gone. Matched faults answer instead of the rules: a faulted request changes
 * nothing, except a delay alone, which only slows the real answer.
 */
import type { FakeAnswer, TransportEffect } from "./fake-request.js";

/** The statuses a fault can force: what gateways and overloaded services answer. */
export const FAULT_STATUSES = [429, 500, 502, 503] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];
/** Effects beyond a status: no answer until the client gives up, a reset connection, a closed one, broken JSON. */
export const FAULT_EFFECTS = ["hang", "reset", "empty", "malformedJson"] as const;
export type FaultEffect = (typeof FAULT_EFFECTS)[number];
/** A delay is a fault too, and bounded: for longer, use `hang`. */
export const MAX_DELAY_MS = 60_000;

export type Delay = { ms: number } | { min: number; max: number };

/** What a tester asks for (POST /__admin/faults, fake.faults.add). */
export interface FaultSpec {
  /** Only requests whose data.email is this (any letter case); every API request when left out. */
  email?: string;
  /** Used this many times, then removed; forever when left out. */
  times?: number;
  /** Wait before answering. */
  delay?: Delay;
  /** Answer this status, in the envelope, instead of the rules' answer. */
  status?: FaultStatus;
  /** With status 429: the Retry-After header, in seconds (1 by default). */
  retryAfter?: number;
  /** Answer nothing (hang), reset the connection, close it with no answer, or send broken JSON. */
  effect?: FaultEffect;
}

export interface Fault extends FaultSpec {
  id: string;
  /** Uses left, when `times` was given. */
  remaining?: number;
}

export class FaultError extends Error {
  override name = "FaultError";
}

const STATUS_TEXT: Record<FaultStatus, string> = { 429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable" };

/**
 * At most this many faults are in force at once: every API request tries them in order, so a tester's loop that
 * forgets to remove them would slow every request and grow the fake without bound.
 */
export const MAX_FAULTS = 1000;

export class FaultSet {
  private faults: Fault[] = [];
  /** Each fault's email in lower case, worked out once when it is added (by fault, as `faults`). */
  private emails: (string | undefined)[] = [];
  private sequence = 0;

  /** Adds a fault; throws FaultError with what to change when the spec is not one, or when MAX_FAULTS are in force. */
  add(spec: FaultSpec): Fault {
    const problem = faultProblem(spec);
    if (problem) throw new FaultError(problem);
    if (this.faults.length >= MAX_FAULTS) throw new FaultError(`at most ${MAX_FAULTS} faults are in force at once: remove some first (DELETE /__admin/faults, or one by its id)`);
    const fault: Fault = { id: `fault-${++this.sequence}`, ...spec, ...(spec.times !== undefined ? { remaining: spec.times } : {}) };
    this.faults.push(fault);
    this.emails.push(spec.email?.toLowerCase());
    return { ...fault };
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  remove(id: string): boolean {
    const index = this.faults.findIndex((f) => f.id === id);
    if (index < 0) return false;
    this.faults.splice(index, 1);
    this.emails.splice(index, 1);
    return true;
  }

  clear(): void {
    this.faults = [];
    this.emails = [];
  }

  get active(): boolean {
    return this.faults.length > 0;
  }

  /** The first fault that matches this email, used once (and removed when used up). */
  take(email: string | undefined): Fault | undefined {
    const lower = email?.toLowerCase();
    const index = this.emails.findIndex((e, i) => this.faults[i]!.email === undefined || e === lower);
    if (index < 0) return undefined;
    const fault = this.faults[index]!;
    if (fault.remaining !== undefined && --fault.remaining <= 0) {
      this.faults.splice(index, 1);
      this.emails.splice(index, 1);
    }
    return fault;
  }
}

/** Why a spec is not a fault, or undefined. Also checks what the Prefer header asks for. */
export function faultProblem(spec: FaultSpec): string | undefined {
  const { times, delay, status, retryAfter, effect } = spec;
  if (delay === undefined && status === undefined && effect === undefined) return "a fault needs a delay, a status or an effect";
  if (status !== undefined && effect !== undefined) return "give a status or an effect, not both";
  if (status !== undefined && !FAULT_STATUSES.includes(status)) return `status must be one of ${FAULT_STATUSES.join(", ")}`;
  if (effect !== undefined && !FAULT_EFFECTS.includes(effect)) return `effect must be one of ${FAULT_EFFECTS.join(", ")}`;
  if (retryAfter !== undefined && status !== 429) return "retryAfter goes with status 429";
  if (retryAfter !== undefined && !(Number.isInteger(retryAfter) && retryAfter >= 0 && retryAfter <= 3600)) return "retryAfter is in whole seconds, 0 to 3600";
  if (times !== undefined && !(Number.isInteger(times) && times >= 1)) return "times must be a whole number, 1 or more";
  if (delay !== undefined) return delayProblem(delay);
  return undefined;
}

export function delayProblem(delay: Delay): string | undefined {
  const ok = (ms: unknown) => Number.isInteger(ms) && (ms as number) >= 0 && (ms as number) <= MAX_DELAY_MS;
  if ("ms" in delay) return ok(delay.ms) ? undefined : `delay.ms must be whole milliseconds, 0 to ${MAX_DELAY_MS}`;
  if (!ok(delay.min) || !ok(delay.max)) return `delay.min and delay.max must be whole milliseconds, 0 to ${MAX_DELAY_MS}`;
  return delay.min <= delay.max ? undefined : "delay.min must not be more than delay.max";
}

/** A delay's length for one request: fixed, or uniform between min and max. */
export function delayLength(delay: Delay | undefined, random: () => number = Math.random): number | undefined {
  if (delay === undefined) return undefined;
  if ("ms" in delay) return delay.ms;
  return delay.min + Math.floor(random() * (delay.max - delay.min + 1));
}

/**
 * What a matched fault answers; undefined for a delay alone (the rules answer, late).
 * `message` is the envelope's text for a forced status.
 */
export function faultAnswer(fault: FaultSpec, message: (status: number, reason: string) => string): FakeAnswer | undefined {
  const delayMs = delayLength(fault.delay);
  const delayed = delayMs !== undefined ? { delayMs } : {};
  if (fault.status !== undefined) {
    const status = fault.status;
    const headers: Record<string, string> = status === 429 ? { "retry-after": String(fault.retryAfter ?? 1) } : {};
    return { status, headers, body: { status, success: false, message: message(status, STATUS_TEXT[status]) }, outcome: `fault:${status}`, ...delayed };
  }
  if (fault.effect === "malformedJson") {
    // A 200 whose JSON stops half-way: what a proxy that cut the connection leaves behind.
    return { status: 200, headers: {}, raw: '{"status":200,"success":true,"message":"Profile upd', outcome: "fault:malformedJson", ...delayed };
  }
  if (fault.effect !== undefined) return { status: 0, headers: {}, effect: fault.effect as TransportEffect, outcome: `fault:${fault.effect}`, ...delayed };
  return undefined;
}
