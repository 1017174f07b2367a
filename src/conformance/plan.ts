/**
 * @module conformance/plan
 * Which scenarios run, and why each of the others does not: never silently dropped.
 */
import { placeholdersIn } from "./placeholders.js";
import type { ReadStep, Scenario } from "./scenario.js";
import type { Target } from "./target.js";

export interface PlanOptions {
  readOnly?: boolean;
  /** Scenario ids or tags to run (all when empty). */
  only?: readonly string[];
  /** Scenario ids or tags to leave out. */
  skip?: readonly string[];
}

export interface Plan {
  run: Scenario[];
  skipped: { scenario: Scenario; reason: string }[];
}

export function planScenarios(scenarios: readonly Scenario[], target: Target, options: PlanOptions = {}): Plan {
  const plan: Plan = { run: [], skipped: [] };
  const matches = (s: Scenario, selectors: readonly string[]) => selectors.some((sel) => sel === s.id || s.tags.includes(sel));
  for (const scenario of scenarios) {
    const reason =
      options.only?.length && !matches(scenario, options.only)
        ? `not selected by --only ${options.only.join(",")}`
        : options.skip?.length && matches(scenario, options.skip)
          ? `left out by --skip ${options.skip.join(",")}`
          : options.readOnly && scenario.changesProfile
            ? "changes a profile; --read-only runs only scenarios that should change nothing"
            : missingNeeds(scenario, target);
    if (reason) plan.skipped.push({ scenario, reason });
    else plan.run.push(scenario);
  }
  return plan;
}

/** The accounts and values of the target file the scenario needs, that the target file does not give. */
export function missingNeeds(scenario: Scenario, target: Target): string | undefined {
  const accounts = new Set([...scenario.guard, ...scenario.steps.filter((s): s is ReadStep => "read" in s).map((s) => s.read)]);
  for (const path of placeholdersIn(scenario.steps)) {
    const [root, name, field] = path.split(".");
    if (root === "accounts" && name) {
      accounts.add(name);
      if (field && field !== "email" && target.accounts[name] && target.accounts[name][field] === undefined) {
        return `the target file gives no accounts.${name}.${field}`;
      }
    }
    if (root === "freePhoneNumber" && !target.freePhoneNumber) return "the target file gives no freePhoneNumber";
  }
  const missing = [...accounts].filter((name) => !target.accounts[name]);
  return missing.length > 0 ? `the target file names no ${missing.map((m) => `accounts.${m}`).join(", ")}` : undefined;
}
