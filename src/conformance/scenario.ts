/**
 * @module conformance/scenario
 * Scenarios are data: YAML files under conformance/scenarios/, one per documented behaviour (a file may hold a
 * list when one behaviour is a table, like the field format rules). One generic runner executes them.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { Tier } from "../contract/load-spec.js";
import type { MessageName } from "../contract/messages.js";

/** A request to POST /api/v1/users. Strings may hold {{placeholders}}. */
export interface SendStep {
  send: {
    /** Sent as {"action":"UPDATE_PROFILE","data": …}. */
    data?: Record<string, unknown>;
    /** A whole JSON body instead (to send a wrong action, no data, null, …). */
    body?: unknown;
    /** Raw text instead (malformed JSON). */
    raw?: string;
    /** "target" (the default): the run's key; "none": no header; anything else: sent as written. */
    apiKey?: string;
    /** null: no Content-Type header. */
    contentType?: string | null;
    method?: string;
  };
  expect: Expectation;
}

/** Reads an account's profile with an update that sends only its email (it changes nothing). */
export interface ReadStep {
  read: string;
  expect?: Expectation;
}

export type Step = SendStep | ReadStep;

export interface Expectation {
  /** The status, or the statuses any one of which conforms. */
  status?: number | number[];
  /** The name of an example in openapi.yaml whose message must be received ({email} filled in). */
  message?: MessageName;
  /** The success message, exact. */
  successMessage?: boolean;
  headers?: Record<string, string>;
  /** Fields data.user must have (subset). */
  user?: Record<string, unknown>;
  /** data.user carries every field the step sent (dob as an ISO date-time). */
  userEchoesRequest?: boolean;
  /** Keys data.user must not have. */
  userLacks?: string[];
  /** The account read equals its snapshot taken before the scenario. */
  unchanged?: boolean;
}

export interface Scenario {
  id: string;
  title: string;
  /** documented: the vendor page says so; inferred: our reading where the page is silent. */
  tier: Tier;
  /** The sentence of the vendor page this proves (or, for inferred, why we expect it). */
  source: string;
  tags: string[];
  /** Does a conforming target change a profile? false scenarios run under --read-only. */
  changesProfile: boolean;
  /** Accounts snapshotted before and checked (and restored if changed) after. */
  guard: string[];
  steps: Step[];
  /** The file it came from. */
  file: string;
}

export class ScenarioError extends Error {
  override name = "ScenarioError";
}

/** Loads every *.yaml under a folder, sorted by file name; ids must be unique. */
export function loadScenarios(dir: string): Scenario[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".yaml") || n.endsWith(".yml")).sort();
  } catch (error) {
    throw new ScenarioError(`Failed to read scenarios from ${dir}: ${(error as Error).message}.`);
  }
  const scenarios = names.flatMap((name) => parseScenarioFile(join(dir, name)));
  const seen = new Set<string>();
  for (const s of scenarios) {
    if (seen.has(s.id)) throw new ScenarioError(`Scenario id "${s.id}" is used twice (in ${s.file}). Ids must be unique.`);
    seen.add(s.id);
  }
  return scenarios;
}

function parseScenarioFile(file: string): Scenario[] {
  let doc: unknown;
  try {
    // merge: true allows YAML merge keys (<<: *anchor), so a table of scenarios can share its common parts.
    doc = parse(readFileSync(file, "utf8"), { merge: true });
  } catch (error) {
    throw new ScenarioError(`Failed to parse ${file}: ${(error as Error).message}`);
  }
  const list = (doc as { scenarios?: unknown })?.scenarios ?? [doc];
  if (!Array.isArray(list)) throw new ScenarioError(`${file}: "scenarios" must be a list.`);
  return list.map((raw, i) => checkScenario(raw, `${file}${Array.isArray((doc as { scenarios?: unknown }).scenarios) ? ` (scenarios[${i}])` : ""}`, file));
}

const SCENARIO_KEYS = ["id", "title", "tier", "source", "tags", "changesProfile", "guard", "steps"];
const SEND_KEYS = ["data", "body", "raw", "apiKey", "contentType", "method"];
const EXPECT_KEYS = ["status", "message", "successMessage", "headers", "user", "userEchoesRequest", "userLacks", "unchanged"];

/** A typo ("expcet", "stauts") must stop the run, not silently weaken a scenario. */
function unknownKeys(value: unknown, allowed: readonly string[]): string[] {
  return value && typeof value === "object" ? Object.keys(value).filter((key) => !allowed.includes(key)) : [];
}

function checkScenario(raw: unknown, where: string, file: string): Scenario {
  const s = raw as Partial<Scenario> | null;
  const fail = (what: string) => new ScenarioError(`${where}: ${what}`);
  if (!s || typeof s !== "object") throw fail("a scenario must be a mapping.");
  const unknown = unknownKeys(s, SCENARIO_KEYS);
  if (unknown.length > 0) throw fail(`unknown key ${unknown.join(", ")} (a scenario has ${SCENARIO_KEYS.join(", ")}).`);
  for (const key of ["id", "title", "source"] as const) {
    if (typeof s[key] !== "string" || s[key] === "") throw fail(`"${key}" must be a non-empty string.`);
  }
  if (s.tier !== "documented" && s.tier !== "inferred") throw fail('"tier" must be documented or inferred.');
  if (!Array.isArray(s.steps) || s.steps.length === 0) throw fail('"steps" must be a non-empty list.');
  s.steps.forEach((step, i) => {
    const hasSend = typeof (step as SendStep).send === "object";
    const hasRead = typeof (step as ReadStep).read === "string";
    if (hasSend === hasRead) throw fail(`steps[${i}] must have exactly one of "send" or "read".`);
    if (hasSend && typeof (step as SendStep).expect !== "object") throw fail(`steps[${i}] sends a request but has no "expect".`);
    const wrong = [
      ...unknownKeys(step, ["send", "read", "expect"]).map((k) => `steps[${i}].${k}`),
      ...unknownKeys((step as SendStep).send, SEND_KEYS).map((k) => `steps[${i}].send.${k}`),
      ...unknownKeys(step.expect, EXPECT_KEYS).map((k) => `steps[${i}].expect.${k}`),
    ];
    if (wrong.length > 0) throw fail(`unknown key ${wrong.join(", ")} (send has ${SEND_KEYS.join(", ")}; expect has ${EXPECT_KEYS.join(", ")}).`);
  });
  return {
    id: s.id!,
    title: s.title!,
    tier: s.tier,
    source: s.source!.trim(),
    tags: Array.isArray(s.tags) ? s.tags.map(String) : [],
    changesProfile: s.changesProfile === true,
    guard: Array.isArray(s.guard) ? s.guard.map(String) : [],
    steps: s.steps,
    file,
  };
}
