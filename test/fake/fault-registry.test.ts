// The fault kinds (src/fake/faults/registry.ts) and openapi.yaml say the same: every FaultSpec effect has a kind and
// every kind is in the contract, by the schema it names.
import { describe, expect, it } from "vitest";
import { loadContract } from "../../src/contract/contract.js";
import { readPointer } from "../../src/contract/pointer.js";
import type { FaultKind } from "../../src/fake/faults/define-fault.js";
import { FAULT_EFFECTS, FAULT_KINDS, faultKindOf } from "../../src/fake/faults/registry.js";

const { spec } = loadContract();
const kinds = FAULT_KINDS as readonly FaultKind[];
const effectEnum = readPointer(spec, "/components/schemas/FaultEffect/enum") as string[];
const specProperties = readPointer(spec, "/components/schemas/FaultSpec/properties") as Record<string, { $ref?: string }>;

describe("the fault registry", () => {
  it("has a kind for every effect of openapi.yaml's FaultEffect, and no effect it lacks", () => {
    expect([...FAULT_EFFECTS].sort()).toEqual([...effectEnum].sort());
  });

  it.each(kinds.map((kind) => [JSON.stringify(kind.askedBy), kind] as const))("%s names its schema in openapi.yaml", (_name, kind) => {
    expect(readPointer(spec, kind.schema), kind.schema).toBeDefined();
    if ("effect" in kind.askedBy) expect(kind.schema).toBe("/components/schemas/FaultEffect");
    else expect(specProperties[kind.askedBy.property]?.$ref, `FaultSpec.${kind.askedBy.property}`).toBe(`#${kind.schema}`);
  });

  it("finds the kind a fault asks for; none for a delay alone", () => {
    for (const effect of effectEnum) expect(faultKindOf({ effect: effect as never })?.asked).toBe(effect);
    expect(faultKindOf({ status: 502 })?.asked).toBe("502");
    expect(faultKindOf({ delay: { ms: 5 } })).toBeUndefined();
  });
});
