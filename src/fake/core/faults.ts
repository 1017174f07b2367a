/**
 * @module fake/core/faults
 * Faults a tester asks for, to see how an app copes with a slow or failing service (WireMock's faults, Prism's
 * `Prefer` header). A fault matches API requests (POST /api/v1/users) by data.email, or every request; it can be
 * used a number of times, then it is gone. Matched faults answer instead of the rules: a faulted request changes
 * nothing, except a delay alone, which only slows the real answer.
 */
import { faultKindOf } from "../faults/registry.js";
import type { FaultContext, FaultFields } from "../faults/define-fault.js";
import { delayLength, type Delay } from "./delay.js";
import type { FakeAnswer } from "./fake-request.js";

export type { Delay };

/**
 * What a tester asks for (POST /__admin/faults, fake.faults.add): openapi.yaml's FaultSpec, whose validator checks
 * it (check-fault). Only requests whose data.email is `email` (any letter case), or all; `times` uses, or forever;
 * a `delay`, a forced `status` (with `retryAfter` for 429) or an `effect` (the kinds: src/fake/faults/registry.ts).
 */
export type FaultSpec = FaultFields;

export interface Fault extends FaultSpec {
  id: string;
  /** Uses left, when `times` was given. */
  remaining?: number;
}

export class FaultError extends Error {
  override name = "FaultError";
}

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

  /** `check`: why a value is not a fault, or undefined (check-fault's faultProblem, over openapi.yaml's FaultSpec). */
  constructor(private readonly check: (spec: unknown) => string | undefined) {}

  /** Adds a fault; throws FaultError with what to change when the spec is not one, or when MAX_FAULTS are in force. */
  add(spec: FaultSpec): Fault {
    const problem = this.check(spec);
    if (problem) throw new FaultError(problem);
    if (this.faults.length >= MAX_FAULTS)
      throw new FaultError(`at most ${MAX_FAULTS} faults are in force at once: remove some first (DELETE /__admin/faults, or one by its id)`);
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

/**
 * What a matched fault answers, as its kind says (src/fake/faults/); undefined for a delay alone (the rules answer,
 * late).
 */
export function faultAnswer(fault: FaultSpec, context: FaultContext): FakeAnswer | undefined {
  const found = faultKindOf(fault);
  if (!found) return undefined;
  const delayMs = delayLength(fault.delay);
  const delayed = delayMs !== undefined ? { delayMs } : {};
  const outcome = `fault:${found.asked}`;
  const answer = found.kind.answer(fault, context);
  if ("connection" in answer) return { status: 0, headers: {}, effect: answer.connection, outcome, ...delayed };
  return { ...answer, headers: answer.headers ?? {}, outcome, ...delayed };
}
