/**
 * @module conformance/plan
 * Which scenarios run, and why each of the others does not: never silently dropped. A scenario is either
 * deselected (the user's choice: --only, --skip, --read-only) or unavailable (the target file lacks what it needs);
 * a documented scenario that is unavailable keeps the run from saying "conforms".
 */
import type { Tier } from "../contract/load-spec.js";
import { placeholdersIn } from "./placeholders.js";
import type { Scenario } from "./scenario.js";
import { didYouMean } from "./suggest.js";
import type { Target } from "./target.js";

export interface PlanOptions {
  readOnly?: boolean;
  /** Scenario ids or tags to run (all when empty). */
  only?: readonly string[];
  /** Scenario ids or tags to leave out. */
  skip?: readonly string[];
  /** Scenario ids or tags that may be skipped for lack of an account without failing the run. */
  allowSkip?: readonly string[];
}

/**
 * deselected: the user's choice; unavailable: the target file lacks an account or value it needs (a documented one
 * keeps the run from concluding); optional: it needs an optional part of the target file (otherOrganization);
 * stopped: not run because the run stopped writing (the target destroyed what it was not asked to change); unsafe:
 * not run because what makes it safe to send (onlyAfter) was not shown in this run.
 */
export type SkipKind = "deselected" | "unavailable" | "optional" | "stopped" | "unsafe";

export interface Skip {
  scenario: Scenario;
  reason: string;
  kind: SkipKind;
}

export interface Plan {
  run: Scenario[];
  skipped: Skip[];
}

export const matchesSelector = (scenario: { id: string; tags: readonly string[] }, selectors: readonly string[]): boolean =>
  selectors.some((selector) => selector === scenario.id || scenario.tags.includes(selector));

export function planScenarios(scenarios: readonly Scenario[], target: Target, options: PlanOptions = {}): Plan {
  const plan: Plan = { run: [], skipped: [] };
  for (const scenario of scenarios) {
    const deselected =
      options.only?.length && !matchesSelector(scenario, options.only)
        ? `not selected by --only ${options.only.join(",")}`
        : options.skip?.length && matchesSelector(scenario, options.skip)
          ? `left out by --skip ${options.skip.join(",")}`
          : options.readOnly && scenario.changesProfile
            ? "a conforming target would apply its update; --read-only sends none"
            : undefined;
    const optional = deselected ? undefined : missingOptional(scenario, target);
    const unavailable = deselected || optional ? undefined : missingNeeds(scenario, target);
    if (deselected) plan.skipped.push({ scenario, reason: deselected, kind: "deselected" });
    else if (optional) plan.skipped.push({ scenario, reason: optional, kind: "optional" });
    else if (unavailable) plan.skipped.push({ scenario, reason: unavailable, kind: "unavailable" });
    else plan.run.push(scenario);
  }
  return plan;
}

/** --only, --skip and --allow-skip must each name a known scenario id or tag: a typo would silently test less. */
export function selectorProblems(scenarios: readonly Scenario[], options: PlanOptions, extraNames: readonly string[] = []): string[] {
  const names = new Set([...scenarios.flatMap((s) => [s.id, ...s.tags]), ...extraNames]);
  const problems: string[] = [];
  for (const [flag, selectors] of [
    ["--only", options.only],
    ["--skip", options.skip],
    ["--allow-skip", options.allowSkip],
  ] as const) {
    for (const selector of selectors ?? []) {
      if (!names.has(selector))
        problems.push(`${flag} ${selector} names no scenario id or tag${didYouMean(selector, names)}. \`--dry-run\` lists them.`);
    }
  }
  return problems;
}

/** What a skip needs to be judged: a scenario result, or a planned skip's scenario with its kind. */
export interface SkippedScenario {
  id: string;
  tags: string[];
  tier: Tier;
  skipKind?: SkipKind;
  reason?: string;
}

/** A documented scenario unavailable on this target, that --allow-skip does not name: the run cannot say "conforms". */
export function unallowedSkips<T extends SkippedScenario>(skipped: readonly T[], allowSkip: readonly string[] = []): T[] {
  return skipped.filter(
    (s) => s.skipKind === "unavailable" && s.tier === "documented" && !allowSkip.some((sel) => sel === s.id || s.tags.includes(sel)),
  );
}

/** An optional part of the target file the scenario needs and the file does not name. */
export function missingOptional(scenario: Scenario, target: Target): string | undefined {
  if (scenario.needs.includes("otherOrganization") && !target.otherOrganization) {
    return "it needs a second organization: name otherOrganization in the target file (its key from an environment variable), with otherOrganizationUser a USER of it";
  }
  return undefined;
}

/** The accounts and values of the target file the scenario needs, that the target file does not give. */
export function missingNeeds(scenario: Scenario, target: Target): string | undefined {
  const candidates = scenario.subject?.from ?? [];
  const missing = scenario.accounts.filter((name) => !target.accounts[name] && !candidates.includes(name));
  if (missing.length > 0) return `the target file names no ${missing.map((m) => `accounts.${m}`).join(", ")}`;
  if (scenario.subject && !candidates.some((name) => target.accounts[name]))
    return `the target file names none of ${candidates.map((m) => `accounts.${m}`).join(", ")}`;
  for (const path of placeholdersIn(scenario.steps)) {
    const [root, name, field] = path.split(".");
    if (
      root === "accounts" &&
      name &&
      name !== "subject" &&
      field &&
      field !== "email" &&
      target.accounts[name]?.[field as keyof (typeof target.accounts)[string]] === undefined
    ) {
      return `the target file gives no accounts.${name}.${field}`;
    }
    if (root === "freePhoneNumber" && !target.freePhoneNumber) return "the target file gives no freePhoneNumber";
  }
  return undefined;
}
