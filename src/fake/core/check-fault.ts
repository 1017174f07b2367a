/**
 * @module fake/core/check-fault
 * The one check of a fault, wherever it is asked for: fake.faults.add, POST /__admin/faults and the Prefer header.
 * The verdict is the ajv validator compiled from openapi.yaml's FaultSpec. Its composite rules (the anyOf that asks
 * for one of delay, status and effect, the `not`, the `dependentSchemas`) are put in words read from the same
 * schema, so the message says what to change. Only min ≤ max of a delay range, which JSON Schema cannot say, is a
 * rule of its own (fake/core/delay).
 */
import type { Contract } from "../../contract/contract.js";
import type { JsonSchema } from "../../contract/load-spec.js";
import { formatIssues, type ValidationIssue } from "../../contract/validators.js";
import { delayProblem } from "./delay.js";

export const FAULT_SPEC_POINTER = "/components/schemas/FaultSpec";

/** Why a value is not a fault (as openapi.yaml's FaultSpec says), or undefined. */
export function faultProblem(contract: Contract, spec: unknown): string | undefined {
  const issues = contract.schemaValidator(FAULT_SPEC_POINTER)(spec);
  if (issues.length === 0) {
    const { delay } = spec as { delay?: unknown };
    return delay === undefined ? undefined : delayProblem(contract, delay);
  }
  return faultIssuesText(contract, spec, issues);
}

/** What FaultSpec's composite rules ask, read from the schema: the fields its anyOf, not and dependentSchemas name. */
interface CompositeRules {
  /** One of these is required (anyOf: delay, status, effect). */
  oneOf: string[];
  /** Not all of these together (not: status and effect). */
  exclusive: string[];
  /** A field that goes only with another's value (dependentSchemas: retryAfter with status 429). */
  dependent: { field: string; on: string; value: unknown }[];
}

function compositeRules(contract: Contract): CompositeRules {
  const schema = contract.spec.components.schemas.FaultSpec as JsonSchema & {
    anyOf?: { required?: string[] }[];
    not?: { required?: string[] };
    dependentSchemas?: Record<string, { properties?: Record<string, { const?: unknown }> }>;
  };
  return {
    oneOf: (schema.anyOf ?? []).flatMap((branch) => branch.required ?? []),
    exclusive: schema.not?.required ?? [],
    dependent: Object.entries(schema.dependentSchemas ?? {}).flatMap(([field, rule]) =>
      Object.entries(rule.properties ?? {}).map(([on, value]) => ({ field, on, value: value.const })),
    ),
  };
}

function faultIssuesText(contract: Contract, spec: unknown, issues: readonly ValidationIssue[]): string {
  // Not an object at all: FaultSpec's `not` holds vacuously false of it, and would only mislead.
  const notAnObject = issues.find((issue) => issue.path === "body" && issue.message === "must be object");
  if (notAnObject) return formatIssues([notAnObject]);
  const rules = compositeRules(contract);
  const isAlternative = (issue: ValidationIssue) => issue.message === "is required" && rules.oneOf.includes(issue.path);
  const others = issues.filter((issue) => !isAlternative(issue));
  const words = new Set<string>();
  // Every alternative lacks its field: none of delay, status and effect is there. Otherwise the one that is there
  // broke a rule of its own, said below, and the others' "is required" would only mislead.
  if (others.length === 0) words.add(`a fault needs ${orList(rules.oneOf.map(article))}`);
  const plain: ValidationIssue[] = [];
  for (const issue of others) {
    const dependent = rules.dependent.find((rule) => issue.pointer === `/${rule.on}` && issue.message === `must be ${JSON.stringify(rule.value)}`);
    if (issue.path === "body" && issue.message === "must NOT be valid") words.add(`give ${orList(rules.exclusive.map(article))}, not both`);
    else if (dependent) words.add(`${dependent.field} goes with ${dependent.on} ${String(dependent.value)}`);
    else if (issue.pointer === "/delay" || issue.pointer.startsWith("/delay/"))
      words.add(delayProblem(contract, (spec as { delay?: unknown }).delay)!);
    else plain.push(issue);
  }
  const text = formatIssues(plain);
  return [...words, ...(text ? [text] : [])].join("; ");
}

/** "effect" → "an effect"; "delay" → "a delay" */
const article = (field: string) => `${/^[aeiou]/.test(field) ? "an" : "a"} ${field}`;

/** ["a delay", "a status", "an effect"] → "a delay, a status or an effect" */
function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}
