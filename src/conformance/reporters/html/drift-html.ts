/**
 * @module conformance/reporters/html/drift-html
 * `drift --html FILE`: the verdict and the counts, how each side fared on its own, the inferred wording per kind of
 * message side by side, then each scenario in two columns (A | B) with the differences highlighted. Scenarios that
 * differ are open, the others folded; filters by tier and by outcome.
 */
import type { DriftAspect, DriftScenario, PairedStep } from "../../drift/compare-runs.js";
import type { DriftReport } from "../../drift/run-drift.js";
import type { Redact } from "../../redact.js";
import { safeValue } from "../visible.js";
import { escapeHtml as e, filterGroup, renderPage, shown, type Verdict } from "./page.js";

type Outcome = "differs-documented" | "differs" | "same" | "one-side";
const OUTCOME_LABEL: Record<Outcome, string> = {
  "differs-documented": "documented difference",
  differs: "inferred difference",
  same: "same",
  "one-side": "one side only",
};
const MARK: Record<Outcome, string> = { "differs-documented": "✗", differs: "~", same: "=", "one-side": "–" };

export function renderDriftHtml(input: DriftReport, redact: Redact): string {
  const report = safeValue(input, redact);
  const { a, b, counts, comparison } = report;
  const verdict: Verdict = report.exitCode === 0 ? "pass" : report.exitCode === 1 ? "fail" : "error";
  const headline = ["No documented behaviour differs", "Documented behaviour differs", "Drift could not run or conclude"][report.exitCode]!;
  const side = (label: string, s: DriftReport["a"]) =>
    `<tr><th>${label} ${e(s.name)}</th><td>${e(s.baseUrl)}</td><td>${["conforms", "does NOT conform", "could not run or conclude"][s.summary.exitCode]} (exit ${s.summary.exitCode})</td></tr>`;
  const scenariosWith = (tier: string) => {
    const n = comparison.scenarios.filter(
      (sc) =>
        sc.differences.some((d) => d.kind === "behaviour" && d.tier === tier) ||
        (tier === "documented" && sc.differences.some((d) => d.kind !== "allowed" && d.tier === tier)),
    ).length;
    return n ? `in ${n} scenario(s)` : "";
  };
  const countsHtml = `<table data-testid="counts-table">
<tr><th>documented differences</th><td class="num" data-testid="count-documented">${counts.documented}</td><td class="note">${scenariosWith("documented")}</td></tr>
<tr><th>inferred behaviour differences</th><td class="num" data-testid="count-inferred-behaviour">${counts.inferredBehaviour}</td><td class="note">${scenariosWith("inferred")}</td></tr>
<tr><th>inferred wording differences</th><td class="num" data-testid="count-inferred-wording">${counts.inferredWording}</td><td class="note">kinds of message worded differently</td></tr>
<tr><th>scenarios answered alike</th><td class="num" data-testid="count-same">${counts.same}</td><td></td></tr>
</table>
<table class="sides">${side("A", a)}${side("B", b)}</table>
${
  report.fatal
    ? `<ul class="problems" data-testid="problems">${report.fatal
        .split("\n")
        .map((p) => `<li>${e(p)}</li>`)
        .join("")}</ul>`
    : ""
}
${wordingTable(report)}
${allowedNote(report)}`;

  const outcomeOf = (s: DriftScenario): Outcome =>
    s.onlyOneSide
      ? "one-side"
      : s.differences.some((d) => d.kind !== "allowed" && d.tier === "documented")
        ? "differs-documented"
        : s.differences.some((d) => d.kind !== "allowed")
          ? "differs"
          : "same";
  const outcomes = (Object.keys(OUTCOME_LABEL) as Outcome[]).map((o) => ({
    value: o,
    label: OUTCOME_LABEL[o],
    count: comparison.scenarios.filter((s) => outcomeOf(s) === o).length,
  }));
  const filters = [
    filterGroup(
      "Tier",
      "tier",
      ["documented", "inferred"].map((t) => ({ value: t, label: t, count: comparison.scenarios.filter((s) => s.tier === t).length })),
    ),
    filterGroup("Outcome", "outcome", outcomes),
  ].join("");
  const wordingDiffers = new Set(comparison.wording.filter((w) => !w.same).map((w) => w.name));
  const rank = (s: DriftScenario) => (Object.keys(OUTCOME_LABEL) as Outcome[]).indexOf(outcomeOf(s));
  const body = `<section class="scenarios" data-testid="scenarios">${[...comparison.scenarios]
    .sort((x, y) => rank(x) - rank(y))
    .map((s) => scenarioHtml(s, outcomeOf(s), a.name, b.name, wordingDiffers))
    .join("\n")}</section>`;
  return renderPage({
    title: `cv-contract-kit drift: ${a.name} ↔ ${b.name}`,
    verdict,
    headline,
    subtitle: [
      `A ${a.name} (${a.baseUrl}) ↔ B ${b.name} (${b.baseUrl})`,
      `${report.startedAt} · ${(report.durationMs / 1000).toFixed(1)} s · exit ${report.exitCode}`,
    ],
    counts: countsHtml,
    filters,
    body,
  });
}

function wordingTable(report: DriftReport): string {
  if (report.comparison.wording.length === 0) return "";
  const rows = report.comparison.wording.map(
    (w) =>
      `<tr data-testid="wording-${e(w.name)}"><td>${e(w.name)}</td><td class="${w.same ? "" : "diff"}">${e(w.statusA ?? "")} ${e(JSON.stringify(w.a ?? null))}</td><td class="${w.same ? "" : "diff"}">${e(w.statusB ?? "")} ${e(JSON.stringify(w.b ?? null))}</td></tr>`,
  );
  return `<h3>Inferred wording, per kind of message</h3><p class="note">Where the vendor page gives no words, each side's messages are reduced to a template ({detail} is what varies). Never gating.</p>
<table class="wording"><tr><th>kind</th><th>A ${e(report.a.name)}</th><th>B ${e(report.b.name)}</th></tr>${rows.join("")}</table>`;
}

function allowedNote(report: DriftReport): string {
  const allowed = [...new Set(report.comparison.differences.filter((d) => d.kind === "allowed").map((d) => d.what))];
  return allowed.length ? `<p class="note">Allowed by the contract, not counted: ${allowed.map(e).join("; ")}</p>` : "";
}

function scenarioHtml(s: DriftScenario, outcome: Outcome, nameA: string, nameB: string, wordingDiffers: ReadonlySet<string>): string {
  const counted = s.differences.filter((d) => d.kind !== "allowed");
  return `<details class="item ${outcome}" data-filterable data-tier="${s.tier}" data-outcome="${outcome}" data-testid="scenario-${e(s.id)}"${outcome.startsWith("differs") ? " open" : ""}>
<summary><span class="mark">${MARK[outcome]}</span><b>${e(s.id)}</b> ${e(s.title)}<span class="badge ${s.tier}">${s.tier}</span><span class="badge">${OUTCOME_LABEL[outcome]}${counted.length ? `: ${counted.length}` : ""}</span></summary>
<div class="inner">
<blockquote>${e(s.source)}</blockquote>
${s.onlyOneSide ? `<p>${e(s.onlyOneSide)}</p>` : ""}
${counted.length ? `<ul>${counted.map((d) => `<li class="${d.tier}">${d.tier === "documented" ? "<b>documented</b> " : ""}${e(d.aspect)}${d.step !== undefined ? ` (request ${d.step + 1})` : ""}: ${e(d.what)}</li>`).join("")}</ul>` : ""}
${s.steps.map((p) => pairHtml(s, p, nameA, nameB, wordingDiffers)).join("")}
</div>
</details>`;
}

function pairHtml(s: DriftScenario, pair: PairedStep, nameA: string, nameB: string, wordingDiffers: ReadonlySet<string>): string {
  const differs = (aspect: DriftAspect) => s.differences.find((d) => d.kind !== "allowed" && d.aspect === aspect && d.step === pair.index);
  const cls = (aspect: DriftAspect) => {
    const d = differs(aspect);
    if (d) return ` class="diff ${d.tier}"`;
    // Inferred wording is compared per kind of message: highlight each answer of a kind that differs.
    return aspect === "message" && wordingDiffers.has(pair.kind) ? ` class="diff inferred"` : "";
  };
  const column = (label: string, step: PairedStep["a"], message: string | undefined) => {
    const res = step?.exchange.response;
    return `<div class="col"><h5>${e(label)}</h5>
<div${cls("status")}>status <b>${res ? res.status : `no answer (${e(step?.exchange.transportError ?? "not sent")})`}</b></div>
<div${cls("message")}>message ${e(JSON.stringify(message ?? null))}</div>
${step ? `<pre>${e(shown(res ? res.text : ""))}</pre><pre class="curl">${e(step.curl)}</pre>` : ""}</div>`;
  };
  return `<div class="step"><h4>Request ${pair.index + 1}</h4><div class="columns">${column(`A ${nameA}`, pair.a, pair.messages.a)}${column(`B ${nameB}`, pair.b, pair.messages.b)}</div></div>`;
}
