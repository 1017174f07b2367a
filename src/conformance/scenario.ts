/**
 * @module conformance/scenario
 * Scenarios are data: YAML files under conformance/scenarios/, one per documented behaviour (a file may hold a
 * list when one behaviour is a table, like the field format rules). One generic runner executes them.
 * What a scenario may touch is derived from what it sends, never kept by hand: the accounts it names are
 * snapshotted and restored, and a scenario whose update a conforming target would apply is left out by --read-only.
 * A file is checked whole when it is loaded: a misspelt key or message name stops the run with the fix.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { loadContract, type Contract } from "../contract/contract.js";
import type { Tier } from "../contract/load-spec.js";
import type { MessageName } from "../contract/messages.js";
import { compileFileSchema } from "./file-schema.js";
import { placeholdersIn } from "./placeholders.js";
import { didYouMean } from "./suggest.js";

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
    /**
     * Profile fields to add to `data`, each with a new value (new-values): only those the account can take back, so
     * "any unlocked field the account holds" rather than one that may be empty there. A step whose `change` can add
     * none makes the scenario unavailable on that target.
     */
    change?: string[];
    /** Adds `field: null` for every profile field the account holds no value in (null, the page's silence, for a field already empty). */
    nullForEmpty?: boolean;
  };
  expect: Expectation;
}

/** Reads an account's profile: through the vendor's search endpoint where the target offers it, else with an update that sends only its email (it changes nothing). */
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
  /** Keys data.user must not have. */
  userLacks?: string[];
  /** The account read equals its snapshot taken before the scenario (the contract's profile fields). */
  unchanged?: boolean;
  /** Every profile field the scenario does not send still has its snapshot's value. */
  othersUnchanged?: boolean;
  /** The account read shows every field the scenario's updates sent to it. */
  showsUpdate?: boolean;
  /** Refused: any 4xx in the page's envelope (the page says the request is wrong, not which status it gets). */
  refused?: boolean;
  /** A generated update every value of which openapi.yaml allows: accepted (inferred: a service may refuse more). */
  applied?: boolean;
  /** A generated rule probe: if it is refused, the words of this message (inferred: another reason may come first). */
  probeMessage?: MessageName;
  /** The account read must not hold this phone number, another user's. */
  notPhoneOf?: string;
  /** Expectations the kit infers where the page is silent, inside a documented scenario: judged as inferred. */
  inferred?: Expectation;
}

export interface Subject {
  holds: string[];
  from: string[];
}

/** Where a subject is looked for unless the scenario says: the USERs a write may go to, the locked one last. */
export const SUBJECT_CANDIDATES = ["updatableUser", "phoneOwner", "unlockedCaseUser", "lockedUser"] as const;

/** Parts of a target file a scenario may need beyond its accounts; without them it is not run, and says why. */
export type Need = "otherOrganization";

export interface Scenario {
  id: string;
  title: string;
  /** documented: the vendor page says so; inferred: our reading where the page is silent. */
  tier: Tier;
  /** The sentence of the vendor page this proves (or, for inferred, why we expect it). */
  source: string;
  tags: string[];
  /** What to check first when it fails (a target file account that is not what it should be, …). */
  hint?: string;
  /** Optional parts of the target file it needs: without them it is left out, and the run can still conclude. */
  needs: Need[];
  /**
   * The account its steps call `subject` (`{{accounts.subject.email}}`, `read: subject`): the first of `from` whose
   * profile holds every field of `holds` in a form this endpoint could take back. A probe of one field's format then
   * runs on whichever QA account holds that field, not only on one that may have it empty.
   */
  subject?: Subject;
  /**
   * Scenarios that must have passed earlier in the run for this one to be safe to send (null is sent only to a target
   * that refused a number for a string field: one that coerces values would store it as the text "null").
   */
  onlyAfter: string[];
  steps: Step[];
  /** The file it came from. */
  file: string;
  /** Derived: the accounts it names (reads, or may write to); each is snapshotted before it runs and restored after. */
  accounts: string[];
  /** Derived: a target following the page may apply one of its updates (--read-only leaves it out). */
  changesProfile: boolean;
}

export class ScenarioError extends Error {
  override name = "ScenarioError";
}

/** Loads every *.yaml under a folder, sorted by file name; ids must be unique. */
export function loadScenarios(dir: string, contract: Contract = loadContract()): Scenario[] {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith(".yaml") || n.endsWith(".yml"))
      .sort();
  } catch (error) {
    throw new ScenarioError(`Failed to read scenarios from ${dir}: ${(error as Error).message}.`);
  }
  const scenarios = names.flatMap((name) => parseScenarioFile(join(dir, name), contract));
  const seen = new Set<string>();
  for (const s of scenarios) {
    if (seen.has(s.id)) throw new ScenarioError(`Scenario id "${s.id}" is used twice (in ${s.file}). Ids must be unique.`);
    seen.add(s.id);
  }
  for (const s of scenarios) {
    const unknown = s.onlyAfter.filter((id) => !seen.has(id));
    if (unknown.length > 0)
      throw new ScenarioError(`${s.file}: onlyAfter names ${unknown.join(", ")}, which no scenario is${didYouMean(unknown[0]!, [...seen])}.`);
  }
  return scenarios;
}

/** The account names the scenarios use (a target file naming any other is mistaken). */
export function accountNamesOf(scenarios: readonly Scenario[]): string[] {
  return [...new Set(scenarios.flatMap((s) => s.accounts))];
}

function parseScenarioFile(file: string, contract: Contract): Scenario[] {
  let doc: unknown;
  try {
    // merge: true allows YAML merge keys (<<: *anchor), so a table of scenarios can share its common parts.
    doc = parse(readFileSync(file, "utf8"), { merge: true });
  } catch (error) {
    throw new ScenarioError(`Failed to parse ${file}: ${(error as Error).message}`);
  }
  const list = (doc as { scenarios?: unknown })?.scenarios ?? [doc];
  if (!Array.isArray(list)) throw new ScenarioError(`${file}: "scenarios" must be a list.`);
  const inList = Array.isArray((doc as { scenarios?: unknown }).scenarios);
  return list.map((raw, i) => checkScenario(raw, `${file}${inList ? ` (scenarios[${i}])` : ""}`, file, contract));
}

const checkScenarioSchema = compileFileSchema("scenario", "/$defs/scenario", "a scenario");
/** Keys of older scenario files, now derived from the steps: refused with the reason rather than as unknown keys. */
const DERIVED_KEYS = ["guard", "changesProfile"];

/**
 * Checks one scenario against conformance/scenario.schema.json, then in code what the schema cannot hold: profile
 * fields and message names come from openapi.yaml (the one source of truth, which the schema would copy), and the
 * fixes for older files and nested tiers need words of their own.
 */
function checkScenario(raw: unknown, where: string, file: string, contract: Contract): Scenario {
  const fail = (what: string) => new ScenarioError(`${where}: ${what}`);
  const derived = raw && typeof raw === "object" ? DERIVED_KEYS.filter((key) => key in raw) : [];
  if (derived.length > 0)
    throw fail(`remove ${derived.join(", ")}: the accounts a scenario touches, and whether it changes a profile, are derived from its steps.`);
  const problem = checkScenarioSchema(raw);
  if (problem) throw fail(`${problem} See conformance/scenario.schema.json.`);
  const s = raw as Omit<Scenario, "subject"> & { subject?: { holds: string | string[]; from?: string[] } };
  const subject = subjectOf(s.subject, contract, fail);
  const messageNames = Object.keys(contract.spec.components.examples ?? {});
  s.steps.forEach((step, i) => {
    const nested = step.expect?.inferred;
    if (nested !== undefined && s.tier === "inferred")
      throw fail(`steps[${i}].expect.inferred: the scenario is inferred already; put these expectations in expect itself.`);
    const change = (step as SendStep).send?.change;
    if (change !== undefined && change.some((f) => !contract.profileFields.includes(f))) {
      throw fail(`steps[${i}].send.change must list profile fields (${contract.profileFields.join(", ")}).`);
    }
    for (const [where, message] of [
      ["expect", step.expect?.message],
      ["expect.inferred", nested?.message],
      ["expect.probeMessage", step.expect?.probeMessage],
    ] as const) {
      if (message !== undefined && !messageNames.includes(message)) {
        throw fail(`steps[${i}].${where}.message "${String(message)}" is not a message of openapi.yaml${didYouMean(String(message), messageNames)}.`);
      }
    }
  });
  const steps = s.steps;
  return {
    id: s.id!,
    title: s.title!,
    tier: s.tier,
    source: s.source!.trim(),
    tags: s.tags ?? [],
    ...(s.hint ? { hint: s.hint.trim() } : {}),
    needs: s.needs ?? [],
    onlyAfter: s.onlyAfter ?? [],
    ...(subject ? { subject } : {}),
    steps,
    file,
    accounts: [...new Set([...accountsNamed(steps).filter((a) => !(subject && a === "subject")), ...(subject?.from ?? [])])],
    changesProfile: steps.some((step) => "send" in step && mayApply(step, s.tier!, contract)),
  };
}

/**
 * `subject: { holds: [fields], from?: [accounts] }`, its shape checked by the schema; a locked field is never looked
 * for on lockedUser (the lock would answer first).
 */
function subjectOf(
  given: { holds: string | string[]; from?: string[] } | undefined,
  contract: Contract,
  fail: (what: string) => Error,
): Subject | undefined {
  if (given === undefined) return undefined;
  const holds = typeof given.holds === "string" ? [given.holds] : given.holds;
  if (holds.some((f) => !contract.profileFields.includes(f)))
    throw fail(`"subject.holds" must name profile fields (${contract.profileFields.join(", ")}).`);
  const from = given.from ?? SUBJECT_CANDIDATES.filter((a) => a !== "lockedUser" || !holds.some((f) => contract.lockedFields.includes(f)));
  return { holds, from: [...from] };
}

/** Every account a step names: `read: x`, or a {{accounts.x.…}} / {{snapshot.x.…}} placeholder. */
function accountsNamed(steps: readonly Step[]): string[] {
  const names = new Set<string>();
  for (const step of steps) {
    if ("read" in step) names.add(step.read);
    for (const path of placeholdersIn(step)) {
      const [root, name] = path.split(".");
      if ((root === "accounts" || root === "snapshot") && name) names.add(name);
    }
  }
  return [...names];
}

/**
 * A target that follows every rule of the page may apply this request: it sends a profile field, and the page does
 * not say it must be refused (it expects 200, or the refusal is only the kit's inference).
 */
function mayApply(step: SendStep, tier: Tier, contract: Contract): boolean {
  const fields = [...Object.keys(step.send.data ?? {}), ...(step.send.change ?? [])];
  if (!fields.some((f) => contract.profileFields.includes(f))) return false;
  const statuses = [step.expect.status ?? []].flat();
  const refusalDocumented = tier === "documented" && (step.expect.refused === true || (statuses.length > 0 && !statuses.includes(200)));
  return !refusalDocumented;
}
