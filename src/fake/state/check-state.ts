/**
 * @module fake/state/check-state
 * Checks a whole state (a fixtures file, or the state an admin write would leave): the FixtureSet schema of
 * openapi.yaml first, then what a schema cannot say (unique ids, emails and phones; references that resolve).
 */
import type { Contract } from "../../contract/contract.js";
import { unknownPlaceholders } from "../../contract/aligned-answers.js";
import { toPointer } from "../../contract/pointer.js";
import { emailKey } from "./state-index.js";
import { COLLECTIONS, type FixtureAnswers, type Fixtures, type FixtureSet } from "./types.js";

/** One problem, at a JSON pointer into the state. */
export interface StateIssue {
  pointer: string;
  message: string;
}

export function checkState(contract: Contract, state: unknown): StateIssue[] {
  const schemaIssues = contract.validateFixtureSet(state);
  if (schemaIssues.length > 0) {
    return schemaIssues.map(({ pointer, message }) => ({ pointer, message }));
  }
  return [...checkReferences(state as FixtureSet), ...checkAnswers(contract, (state as Fixtures).answers)];
}

/** A message may use only the placeholders the fake fills for its answer: any other would be sent as it is. */
function checkAnswers(contract: Contract, answers: FixtureAnswers | undefined): StateIssue[] {
  const issues: StateIssue[] = [];
  for (const [name, answer] of Object.entries(answers ?? {})) {
    const allowed = contract.alignableAnswers[name] ?? [];
    for (const placeholder of unknownPlaceholders(contract, name, answer.message)) {
      const may = allowed.length > 0 ? `it may use ${allowed.map((p) => `{${p}}`).join(", ")}` : "it may use none";
      issues.push({
        pointer: toPointer(["answers", name, "message"]),
        message: `uses {${placeholder}}, which the fake cannot fill in this answer (${may})`,
      });
    }
  }
  return issues;
}

function checkReferences(state: FixtureSet): StateIssue[] {
  const issues: StateIssue[] = [];
  const at = (...segments: (string | number)[]) => toPointer(segments);

  for (const collection of COLLECTIONS) {
    const ids = new Set<string>();
    state[collection].forEach((record, i) => {
      if (ids.has(record.id)) issues.push({ pointer: at(collection, i, "id"), message: `duplicates id "${record.id}"` });
      ids.add(record.id);
    });
  }

  const organizationIds = new Set(state.organizations.map((o) => o.id));
  const userIds = new Set(state.users.map((u) => u.id));
  const emails = new Map<string, number>();
  const phones = new Map<string, number>();

  state.apiKeys.forEach((key, i) => {
    if (!organizationIds.has(key.organizationId)) {
      issues.push({ pointer: at("apiKeys", i, "organizationId"), message: `names no organization ("${key.organizationId}")` });
    }
  });
  state.users.forEach((user, i) => {
    const email = emailKey(user.email);
    const first = emails.get(email);
    if (first !== undefined)
      issues.push({ pointer: at("users", i, "email"), message: `is already the email of /users/${first} (emails are unique platform-wide)` });
    else emails.set(email, i);
    if (user.phoneNumber) {
      const owner = phones.get(user.phoneNumber);
      if (owner !== undefined) issues.push({ pointer: at("users", i, "phoneNumber"), message: `is already the phone number of /users/${owner}` });
      else phones.set(user.phoneNumber, i);
    }
    user.organizationIds.forEach((id, j) => {
      if (!organizationIds.has(id)) issues.push({ pointer: at("users", i, "organizationIds", j), message: `names no organization ("${id}")` });
    });
  });
  state.cases.forEach((c, i) => {
    if (!userIds.has(c.userId)) issues.push({ pointer: at("cases", i, "userId"), message: `names no user ("${c.userId}")` });
    if (!organizationIds.has(c.organizationId)) {
      issues.push({ pointer: at("cases", i, "organizationId"), message: `names no organization ("${c.organizationId}")` });
    }
  });
  return issues;
}

export function formatStateIssues(issues: readonly StateIssue[], limit = 5): string {
  const shown = issues.slice(0, limit).map((i) => `${i.pointer || "/"}: ${i.message}`);
  if (issues.length > limit) shown.push(`… and ${issues.length - limit} more`);
  return shown.join("; ");
}
