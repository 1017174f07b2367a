/**
 * @module fake/core/prefer-example
 * `Prefer: example=NAME` (Prism's rule): answer the response example of that name that openapi.yaml gives for the
 * operation, as it is written there. With `code=…` the example is looked for under that status only; without, under
 * the operation's statuses from the lowest (2xx first). The contract is read, never copied: a new named example is
 * servable as soon as it is in openapi.yaml.
 */
import type { Contract } from "../../contract/contract.js";
import { deref } from "../../contract/pointer.js";
import type { FakeAnswer } from "./fake-request.js";

interface ExampleNode {
  value?: unknown;
}
interface HeaderNode {
  required?: boolean;
  example?: unknown;
  examples?: Record<string, ExampleNode>;
  schema?: { example?: unknown; examples?: unknown[] };
}
interface ResponseNode {
  headers?: Record<string, HeaderNode>;
  content?: Record<string, { examples?: Record<string, ExampleNode> }>;
}

/** The named response examples of an operation, by status (ascending). */
export function namedExamples(contract: Contract, path: string, method: string): { status: number; names: string[] }[] {
  const doc = contract.spec as unknown;
  const operation = deref<{ responses?: Record<string, unknown> } | undefined>(
    doc,
    (contract.spec.paths?.[path] as Record<string, unknown> | undefined)?.[method.toLowerCase()],
  );
  const found: { status: number; names: string[] }[] = [];
  for (const [code, node] of Object.entries(operation?.responses ?? {})) {
    if (!/^\d{3}$/.test(code)) continue;
    const examples = deref<ResponseNode>(doc, node).content?.["application/json"]?.examples ?? {};
    const names = Object.keys(examples);
    if (names.length > 0) found.push({ status: Number(code), names });
  }
  return found.sort((a, b) => a.status - b.status);
}

/** The answer of the named example, or the problem (naming the examples there are). */
export function exampleAnswer(
  contract: Contract,
  path: string,
  method: string,
  name: string,
  status?: number,
): { answer: FakeAnswer } | { problem: string } {
  const all = namedExamples(contract, path, method);
  const candidates = status === undefined ? all : all.filter((entry) => entry.status === status);
  const hit = candidates.find((entry) => entry.names.includes(name));
  if (!hit) {
    const known = candidates.map((entry) => `${entry.status}: ${entry.names.join(", ")}`).join("; ");
    const where = status === undefined ? `${method.toUpperCase()} ${path}` : `status ${status} of ${method.toUpperCase()} ${path}`;
    return { problem: `Prefer: example=${name}: ${where} has no example of that name; known: ${known || "none"}` };
  }
  const doc = contract.spec as unknown;
  const operation = (contract.spec.paths?.[path] as Record<string, { responses: Record<string, unknown> }>)[method.toLowerCase()]!;
  const response = deref<ResponseNode>(doc, operation.responses[String(hit.status)]);
  const example = deref<ExampleNode>(doc, response.content!["application/json"]!.examples![name]);
  return { answer: { status: hit.status, headers: requiredHeaders(doc, response, name), body: example.value, outcome: `example:${name}` } };
}

/** The response's required headers, each with its example of the same name, or its first example. */
function requiredHeaders(doc: unknown, response: ResponseNode, name: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [header, node] of Object.entries(response.headers ?? {})) {
    const spec = deref<HeaderNode>(doc, node);
    if (!spec.required) continue;
    const named = spec.examples?.[name] ?? Object.values(spec.examples ?? {})[0];
    const value = deref<ExampleNode | undefined>(doc, named)?.value ?? spec.example ?? spec.schema?.example ?? spec.schema?.examples?.[0];
    if (value !== undefined) headers[header.toLowerCase()] = String(value);
  }
  return headers;
}
