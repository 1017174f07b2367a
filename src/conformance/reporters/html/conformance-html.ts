/**
 * @module conformance/reporters/html/conformance-html
 * `conform --html FILE`: the verdict and the counts (documented and inferred, restores), then each scenario with
 * the vendor page's sentence it proves, its requests and responses, each check and the curl line. Failures are
 * open, passes folded; filters by tier and outcome.
 */
import { effectOf, type GatingOptions } from "../../gating.js";
import type { Exchange } from "../../exchange.js";
import type { Redact } from "../../redact.js";
import { safeValue } from "../visible.js";
import type { ConformanceSummary, ScenarioResult, ScenarioStatus, StepResult } from "../../results.js";
import { escapeHtml as e, filterGroup, renderPage, shown, type Verdict } from "./page.js";

const MARK: Record<ScenarioStatus, string> = { passed: "✓", failed: "✗", warned: "!", skipped: "–", error: "E" };
const STATUSES: ScenarioStatus[] = ["failed", "error", "warned", "passed", "skipped"];

export function renderConformanceHtml(input: ConformanceSummary, redact: Redact): string {
  const summary = safeValue(input, redact);
  const gating: GatingOptions = { strict: summary.strict, strictWording: summary.strictWording };
  const verdict: Verdict = summary.exitCode === 0 ? "pass" : summary.exitCode === 1 ? "fail" : "error";
  const headline = ["Conforms: every gating check passed", "Does NOT conform: a gating check failed", "Could not run or conclude"][summary.exitCode]!;
  const ran = summary.results.filter((r) => r.status !== "skipped");
  const restores = summary.results.flatMap((r) => r.restore?.accounts ?? []);

  const count = (tier: string, status: ScenarioStatus) => summary.results.filter((r) => r.tier === tier && r.status === status).length;
  const counts = `<table data-testid="counts-table"><tr><th></th>${STATUSES.map((s) => `<th>${s}</th>`).join("")}</tr>${["documented", "inferred"]
    .map(
      (tier) =>
        `<tr data-testid="counts-${tier}"><th>${tier}</th>${STATUSES.map((s) => `<td class="num" data-testid="count-${tier}-${s}">${count(tier, s)}</td>`).join("")}</tr>`,
    )
    .join("")}</table>
<p data-testid="restore-status" class="${summary.restoreFailures ? "restore-failed" : "note"}">${
    summary.restoreFailures
      ? `${summary.restoreFailures} scenario(s) left a profile changed: see RESTORE FAILED below, with the command that puts it back.`
      : restores.length > 0
        ? `Every profile a scenario changed was put back (${restores.length}).`
        : "No profile needed restoring."
  }</p>
${summary.fatal || summary.incomplete?.length ? `<ul class="problems" data-testid="problems">${[...(summary.fatal?.split("\n") ?? []), ...(summary.incomplete ?? [])].map((p) => `<li>${e(p)}</li>`).join("")}</ul>` : ""}
<p class="note">${ran.length} scenario(s) ran${summary.strict ? " · --strict: inferred behaviour gates" : " · inferred behaviour warns (--strict gates on it)"}${summary.strictWording ? " · --strict-wording: inferred wording gates" : ""}${summary.readOnly ? " · --read-only" : ""}</p>`;

  const filters = [
    filterGroup(
      "Tier",
      "tier",
      ["documented", "inferred"].map((t) => ({ value: t, label: t, count: summary.results.filter((r) => r.tier === t).length })),
    ),
    filterGroup(
      "Outcome",
      "outcome",
      STATUSES.map((s) => ({ value: s, label: s, count: summary.results.filter((r) => r.status === s).length })),
    ),
  ].join("");

  const order = (r: ScenarioResult) => STATUSES.indexOf(r.status);
  const body = `<section class="scenarios" data-testid="scenarios">${[...summary.results]
    .sort((a, b) => order(a) - order(b))
    .map((r) => scenarioHtml(r, gating))
    .join("\n")}</section>`;
  return renderPage({
    title: `cv-contract-kit conformance: ${summary.baseUrl}`,
    verdict,
    headline,
    subtitle: [`Target ${summary.baseUrl} · ${summary.startedAt} · ${(summary.durationMs / 1000).toFixed(1)} s · exit ${summary.exitCode}`],
    counts,
    filters,
    body,
  });
}

function scenarioHtml(r: ScenarioResult, gating: GatingOptions): string {
  const open = r.status === "failed" || r.status === "error" || (r.restore && !r.restore.ok);
  const steps = r.steps.filter((s) => s.kind !== "snapshot" && s.kind !== "restore");
  return `<details class="item ${r.status}" data-filterable data-tier="${r.tier}" data-outcome="${r.status}" data-testid="scenario-${e(r.id)}"${open ? " open" : ""}>
<summary><span class="mark">${MARK[r.status]}</span><b>${e(r.id)}</b> ${e(r.title)}<span class="badge ${r.tier}">${r.tier}</span><span class="badge">${r.status}</span>${r.status === "skipped" ? "" : `<span class="badge">${r.durationMs} ms</span>`}</summary>
<div class="inner">
<blockquote>${e(r.source)}</blockquote>
${r.reason ? `<p><b>${r.status === "skipped" ? "Skipped" : "Error"}:</b> ${e(r.reason)}</p>` : ""}
${r.status === "failed" && r.hint ? `<p><b>Check first:</b> ${e(r.hint)}</p>` : ""}
${(r.leftOut ?? []).map((l) => `<p class="note">Left out ${e(l.fields.join(", "))}: ${e(l.why)}.</p>`).join("")}
${steps.map((s) => stepHtml(s, gating)).join("")}
${(r.restore?.accounts ?? [])
  .map((a) =>
    a.ok
      ? `<p class="note">Restored: ${e(a.message)}</p>`
      : `<p class="restore-failed">RESTORE FAILED for accounts.${e(a.account)}: ${e(a.message)}</p><p>Old values:</p><pre>${e(JSON.stringify(a.oldValues, null, 1))}</pre>${(a.commands ?? []).map((c) => `<p>Put them back with:</p><pre class="curl">${e(c)}</pre>`).join("")}`,
  )
  .join("")}
</div>
</details>`;
}

function stepHtml(step: StepResult, gating: GatingOptions): string {
  // What failed first; what passed after.
  const rank = (c: (typeof step.checks)[number]) => (c.ok ? 3 : ["fail", "warn", "note"].indexOf(effectOf(c, gating)));
  const rows = [...step.checks]
    .sort((x, y) => rank(x) - rank(y))
    .map((c) => {
      const effect = c.ok ? "pass" : effectOf(c, gating);
      const cls = c.ok ? "" : effect === "fail" ? "check-fail" : effect === "warn" ? "check-warn" : "check-note";
      return `<tr class="${cls}"><td>${c.ok ? "✓" : effect === "fail" ? "✗" : effect === "warn" ? "!" : "~"}</td><td>${e(c.check)}</td><td>${c.tier}${c.aspect === "wording" ? " wording" : ""}</td><td>${c.ok ? "" : `${e(c.message ?? "")}`.replace(/\n/g, "<br>")}</td></tr>`;
    });
  return `<div class="step"><h4>${step.kind === "read" ? "Read back" : "Request"}${step.index !== undefined ? ` ${step.index + 1}` : ""}</h4>
${exchangeHtml(step.exchange)}
${rows.length ? `<table class="checks"><tr><th></th><th>check</th><th>tier</th><th>received / expected</th></tr>${rows.join("")}</table>` : ""}
<p>Reproduce with:</p><pre class="curl" data-testid="curl">${e(step.curl)}</pre></div>`;
}

export function exchangeHtml(ex: Exchange): string {
  const req = ex.request;
  const request = `${req.method} ${req.url}\n${Object.entries(req.headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n")}${req.body !== undefined ? `\n\n${shown(req.body)}` : ""}`;
  const res = ex.response;
  const response = res
    ? `${res.status}\n${Object.entries(res.headers)
        .filter(([k]) => ["content-type", "allow", "retry-after", "location"].includes(k))
        .map(([k, v]) => `${k}: ${v}`)
        .join("\n")}\n\n${shown(res.json !== undefined ? JSON.stringify(res.json, null, 2) : res.text)}`
    : `no answer: ${ex.transportError}`;
  return `<div class="columns"><div class="col"><h5>request</h5><pre>${e(request)}</pre></div><div class="col"><h5>response</h5><pre>${e(response)}</pre></div></div>`;
}
