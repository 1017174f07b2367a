/**
 * @module fake/core/answer-check
 * The fake's own answers held against openapi.yaml before they leave: the status must be one the operation lists,
 * the body must match that status's schema. Off by default (it costs a validation per answer, and the bench
 * measures the fake without it); the test suite turns it on (CV_FAKE_CHECK_ANSWERS=1), so a fake that drifts from
 * its contract fails the tests loudly instead of teaching integrators the wrong thing.
 */
import type { Contract } from "../../contract/contract.js";
import { formatIssues } from "../../contract/validators.js";
import type { FakeAnswer } from "./fake-request.js";

export const CHECK_ANSWERS_ENV = "CV_FAKE_CHECK_ANSWERS";

export class AnswerBreaksContract extends Error {
  override name = "AnswerBreaksContract";
}

export function answerChecksFromEnv(): boolean {
  const value = process.env[CHECK_ANSWERS_ENV];
  return value !== undefined && value !== "" && value !== "0" && value !== "false";
}

/** Why this answer breaks the contract of the operation at `template` (an openapi.yaml path), or undefined. */
export function answerProblem(contract: Contract, template: string, method: string, answer: FakeAnswer): string | undefined {
  if (answer.effect !== undefined || answer.raw !== undefined) return undefined; // a fault the tester asked for: not an answer
  const operation = method.toLowerCase();
  const statuses = contract.documentedStatuses(template, operation);
  if (statuses.length === 0) {
    // A method the path does not serve: the 405 answer is described on the path's operations.
    const anyMethod = ["post", "get", "put", "patch", "delete"].find((m) => contract.documentedStatuses(template, m).length > 0);
    return anyMethod ? answerProblem(contract, template, anyMethod, answer) : `openapi.yaml has no path ${template}`;
  }
  if (!statuses.includes(answer.status))
    return `${method} ${template} answered ${answer.status}, which openapi.yaml does not list (it lists ${statuses.join(", ")})`;
  const validator = contract.responseValidator(template, operation, answer.status);
  if (!validator) return undefined;
  const issues = validator(answer.json === undefined ? answer.body : JSON.parse(answer.json));
  return issues.length === 0
    ? undefined
    : `${method} ${template} answered ${answer.status} with a body openapi.yaml refuses: ${formatIssues(issues)}`;
}

/** Throws AnswerBreaksContract when the answer breaks the contract. */
export function assertAnswer(contract: Contract, template: string, method: string, answer: FakeAnswer): void {
  const problem = answerProblem(contract, template, method, answer);
  if (problem) throw new AnswerBreaksContract(`The fake server's answer breaks openapi.yaml: ${problem}. This is a bug of cv-contract-kit.`);
}
