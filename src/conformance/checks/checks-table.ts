/**
 * @module conformance/checks/checks-table
 * docs/checks.md, written from the registry and the scenario files: each check, its tier, and what obliges a server
 * to pass it; then each scenario with the sentence it cites (the obligation of the checks that name "the scenario's
 * sentence"). `npm run docs:checks` writes the file; a test keeps it current.
 */
import type { Scenario } from "../scenario.js";
import type { CheckSpec, Obligation } from "./define-check.js";

const cell = (text: string) => text.replace(/\s+/g, " ").replace(/\|/g, "\\|").trim();

function obligationText(obligation: Obligation): [string, string] {
  if ("page" in obligation) return ["the page", obligation.page];
  if ("scenario" in obligation) return ["the scenario's sentence", obligation.scenario];
  if ("general" in obligation) return ["a general rule", obligation.general];
  return ["the kit's inference", obligation.inferred];
}

export function renderChecksTable(checks: readonly CheckSpec[], scenarios: readonly Scenario[]): string {
  const lines = [
    "# Conformance checks: what each one gates on, and why",
    "",
    "Generated from `src/conformance/checks/registry.ts` and `conformance/scenarios/` by `npm run docs:checks`; a test",
    "fails while this file is stale. A check is **documented** when a sentence of the vendor page obliges the server",
    "to pass it (quoted), or when it is a general rule of any JSON API (no 5xx, a JSON answer): those gate. An",
    "**inferred** check is the kit's reading where the page is silent: a warning, a failure with `--strict` (wording:",
    "a note, a failure with `--strict-wording`). In a scenario of the inferred tier, the checks of what the scenario",
    "expects (scope *expectation*) are inferred too; the checks of the answer itself (scope *answer*) keep their tier.",
    "",
    "| check | tier | scope | what it checks | obliged by | the sentence or the reason |",
    "|---|---|---|---|---|---|",
  ];
  for (const check of checks) {
    const [by, text] = obligationText(check.obligation);
    const tier = `${check.tier}${check.always ? " (every tier)" : ""}${check.aspect === "wording" ? ", wording" : ""}${check.destructive ? ", stops writing" : ""}`;
    lines.push(`| \`${check.id}\` | ${tier} | ${check.scope} | ${cell(check.title)} | ${by} | ${cell(text)} |`);
  }
  lines.push(
    "",
    "## The scenarios and the sentences they cite",
    "",
    "| scenario | tier | the sentence it proves |",
    "|---|---|---|",
    ...scenarios.map((s) => `| \`${s.id}\` | ${s.tier} | ${cell(s.source)} |`),
    "",
  );
  return lines.join("\n");
}
