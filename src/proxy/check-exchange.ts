/**
 * @module proxy/check-exchange
 * An exchange the proxy carried, held against openapi.yaml with the validators compiled from it: the request's body
 * against the operation's request schema, the answer's status against the statuses a deployment may send, and its
 * body against that status's schema. Plain data in, a verdict out.
 */
import type { Contract } from "../contract/contract.js";
import { formatIssues } from "../contract/validators.js";
import type { ProxyVerdict } from "../fake/core/request-journal.js";

export interface CheckedExchange {
  method: string;
  path: string;
  /** The request body's bytes as sent. */
  requestBody: Uint8Array | undefined;
  status: number;
  contentType: string | undefined;
  answerText: string;
}

/** The operations a deployment serves: the paths of openapi.yaml outside the fake's own (/__admin, the pages). */
function deploymentOperation(contract: Contract, path: string, method: string): string | undefined {
  const item = (contract.spec.paths as Record<string, Record<string, unknown> | undefined>)[path];
  if (!item || path.startsWith("/__")) return undefined;
  const operation = method.toLowerCase();
  return operation in item ? operation : Object.keys(item).find((m) => contract.documentedStatuses(path, m, "deployment").length > 0);
}

export function checkExchange(contract: Contract, exchange: CheckedExchange): ProxyVerdict {
  const problems: string[] = [];
  const { method, path } = exchange;
  const operation = deploymentOperation(contract, path, method);
  if (operation === undefined) return { result: "break", problems: [`request: ${method} ${path} is not an operation of openapi.yaml`] };
  if (method === "POST" && operation === "post") problems.push(...requestProblems(contract, exchange.requestBody));
  const statuses = contract.documentedStatuses(path, operation, "deployment");
  if (!statuses.includes(exchange.status)) {
    problems.push(`answer: ${method} ${path} answered ${exchange.status}, which openapi.yaml does not list (it lists ${statuses.join(", ")})`);
    return { result: "break", problems };
  }
  const validator = contract.responseValidator(path, operation, exchange.status);
  if (validator) {
    if (!/^application\/json\b/i.test(exchange.contentType ?? ""))
      problems.push(`answer: ${exchange.status} came as ${exchange.contentType ?? "no Content-Type"}, not application/json`);
    else {
      let body: unknown;
      try {
        body = JSON.parse(exchange.answerText) as unknown;
      } catch {
        problems.push(`answer: ${exchange.status} is not JSON`);
      }
      if (body !== undefined) {
        const issues = validator(body);
        if (issues.length > 0) problems.push(`answer: ${exchange.status} has a body openapi.yaml refuses: ${formatIssues(issues)}`);
      }
    }
  }
  return { result: problems.length === 0 ? "pass" : "break", problems };
}

function requestProblems(contract: Contract, bytes: Uint8Array | undefined): string[] {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(bytes ?? new Uint8Array()).toString("utf8")) as unknown;
  } catch {
    return ["request: the body is not JSON"];
  }
  const issues = contract.validateUpdateRequest(body);
  return issues.length === 0 ? [] : [`request: the body breaks UpdateProfileRequest: ${formatIssues(issues)}`];
}
