/**
 * @module fake/faults/registry
 * The fault kinds. A new kind is one file (defineFault) and one line here; the effects a FaultSpec and `Prefer:
 * fault=` accept, how each answers and the `serve --help` line come from this list. The compiler rejects the list
 * while an effect of openapi.yaml's FaultEffect has no entry (test/fake/fault-registry.test.ts checks the other way).
 */
import type { FaultEffectName, FaultFields, FaultKind } from "./define-fault.js";
import { empty } from "./empty.js";
import { forcedStatus } from "./forced-status.js";
import { hang } from "./hang.js";
import { malformedJson } from "./malformed-json.js";
import { reset } from "./reset.js";

export const FAULT_KINDS = [forcedStatus, hang, reset, empty, malformedJson] as const;

type Registered = Extract<(typeof FAULT_KINDS)[number]["askedBy"], { effect: string }>["effect"];
/** Fails to compile, naming the effect, while openapi.yaml's FaultEffect lists one the registry lacks. */
const everyEffectRegistered: [Exclude<FaultEffectName, Registered>] extends [never] ? true : Exclude<FaultEffectName, Registered> = true;
void everyEffectRegistered;

/** The effects, in the registry's order: `effect` of a FaultSpec, `fault=` of a Prefer header. */
export const FAULT_EFFECTS: readonly FaultEffectName[] = FAULT_KINDS.flatMap((kind) => ("effect" in kind.askedBy ? [kind.askedBy.effect] : []));

/** The kind a fault asks for (a property of its own first, then its effect); undefined for a delay alone. */
export function faultKindOf(fault: FaultFields): { kind: FaultKind; asked: string } | undefined {
  for (const kind of FAULT_KINDS as readonly FaultKind[]) {
    const askedBy = kind.askedBy;
    if ("property" in askedBy && fault[askedBy.property] !== undefined) return { kind, asked: String(fault[askedBy.property]) };
    if ("effect" in askedBy && fault.effect === askedBy.effect) return { kind, asked: askedBy.effect };
  }
  return undefined;
}

/** `serve --help`'s lines on faults: each effect and what it does. */
export function faultEffectsHelp(indent: string): string {
  return (FAULT_KINDS as readonly FaultKind[])
    .flatMap((kind) => ("effect" in kind.askedBy ? [`${indent}${kind.askedBy.effect.padEnd(14)}${kind.help}`] : []))
    .join("\n");
}
