/**
 * @module fake/faults/define-fault
 * A fault kind is one registered entry (src/fake/faults/registry.ts): how a FaultSpec asks for it, the schema of
 * openapi.yaml that describes it (the schema stays there: this names it by pointer), a line for `--help`, and what it
 * answers instead of the rules.
 *
 * The granularity: one kind per way of answering. Each `effect` value (hang, reset, empty, malformedJson) is a kind;
 * `status` is one kind whose value (429, 500, 502, 503, FaultStatus's enum) only changes the envelope it sends. A
 * delay is not a kind: it goes with any kind or alone (then the rules answer, late), so the core applies it to
 * every answer the same way, read by one parser (fake/core/delay).
 *
 * What a kind answers is one shape, carried out by every transport (http/write-answer for node:http, the in-process
 * fetch, and MSW through it): an answer (status, headers, a JSON body or raw bytes), or a connection effect instead
 * of any answer (`hang`: kept open; `reset`; `empty`: closed). A new kind that composes these is one file and one
 * line; only a new connection effect would need every transport to learn it.
 */
import type { components } from "../../generated/openapi.js";
import type { TransportEffect } from "../core/fake-request.js";

type Schemas = components["schemas"];
/** The effects openapi.yaml's FaultEffect enum lists. */
export type FaultEffectName = Schemas["FaultEffect"];

/** A fault as the contract writes it, one alternative at a time (openapi.yaml's FaultSpec). */
export interface FaultFields {
  email?: Schemas["FaultEmail"];
  times?: Schemas["FaultTimes"];
  delay?: Schemas["FaultDelay"];
  status?: Schemas["FaultStatus"];
  retryAfter?: Schemas["FaultRetryAfter"];
  effect?: FaultEffectName;
}

/** What a fault answers instead of the rules. */
export type FaultAnswer =
  | { status: number; headers?: Record<string, string>; body: unknown }
  | { status: number; headers?: Record<string, string>; raw: string }
  | { connection: TransportEffect };

export interface FaultContext {
  /** The envelope's message of a forced status: openapi.yaml's injectedFault, filled in. */
  injectedMessage(status: number, reason: string): string;
}

export interface FaultKind<AskedBy extends FaultAsk = FaultAsk> {
  /**
   * How a fault asks for it: `{ effect: "hang" }` is `effect: "hang"` in a FaultSpec and `Prefer: fault=hang`; `{
   * property: "status" }` is a FaultSpec property of its own (`Prefer: code=503`).
   */
  askedBy: AskedBy;
  /** The schema of openapi.yaml that describes it, as a JSON pointer (an effect's name is in FaultEffect's enum). */
  schema: `/components/schemas/${keyof Schemas & string}`;
  /** What it does, for `serve --help` and the docs: "no answer until the client gives up". */
  help: string;
  answer(fault: FaultFields, context: FaultContext): FaultAnswer;
}

/** How a fault asks for a kind: one FaultEffect value, or a FaultSpec property of its own. */
export type FaultAsk = { effect: FaultEffectName } | { property: "status" };

/**
 * The compiler rejects an entry that lacks a part, and an effect openapi.yaml's FaultEffect does not list; `const`
 * keeps the effect's name literal, for the registry's check that every effect has a kind.
 */
export function defineFault<const AskedBy extends FaultAsk>(kind: FaultKind<AskedBy>): FaultKind<AskedBy> {
  return kind;
}
