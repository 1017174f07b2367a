/**
 * @module conformance/reporters/html/page
 * The shell of the HTML reports: one self-contained file, CSS and script inline, nothing fetched, so it reads
 * offline and can be attached to a CI run. The verdict comes first, big enough to be read in five seconds; the
 * filters show or hide sections by their data-tier and data-outcome. A Content-Security-Policy allows the one
 * inline script and style by their hashes and nothing else: a payload that ever got past the escaping could not
 * run, load or send anything.
 */
import { createHash } from "node:crypto";
import { escapeHtml } from "../../../text/escape-html.js";

export { escapeHtml };

/** A long body shown in part: the JSON report keeps the whole. */
export function shown(text: string, limit = 4000): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length} characters; the whole text is in the --json report)`;
}

export type Verdict = "pass" | "fail" | "error";

export interface PageParts {
  title: string;
  verdict: Verdict;
  headline: string;
  /** Lines under the headline (target, date, duration). */
  subtitle: string[];
  /** HTML of the counts block. */
  counts: string;
  /** HTML of the filters block. */
  filters: string;
  /** HTML of the body. */
  body: string;
}

export function renderPage(parts: PageParts): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(parts.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header class="verdict ${parts.verdict}" data-testid="verdict">
  <div class="headline">${escapeHtml(parts.headline)}</div>
  ${parts.subtitle.map((line) => `<div class="subtitle">${escapeHtml(line)}</div>`).join("\n  ")}
</header>
<main>
<section class="counts" data-testid="counts">${parts.counts}</section>
<section class="filters" data-testid="filters">${parts.filters}</section>
${parts.body}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** A checkbox per value; unticking one hides every element whose data-<attribute> has that value. */
export function filterGroup(label: string, attribute: string, values: readonly { value: string; label: string; count: number }[]): string {
  return `<fieldset class="filter" data-filter="${escapeHtml(attribute)}"><legend>${escapeHtml(label)}</legend>${values
    .map(
      (v) =>
        `<label><input type="checkbox" checked value="${escapeHtml(v.value)}" data-testid="filter-${escapeHtml(attribute)}-${escapeHtml(v.value)}"> ${escapeHtml(v.label)} <span class="n">${v.count}</span></label>`,
    )
    .join("")}</fieldset>`;
}

const CSS = `
:root { --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --muted: #57606a; --line: #d0d7de; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; background: #fff; }
header.verdict { padding: 22px 28px; color: #fff; }
header.verdict.pass { background: var(--ok); }
header.verdict.fail { background: var(--bad); }
header.verdict.error { background: #bc4c00; }
.headline { font-size: 28px; font-weight: 700; }
.subtitle { opacity: .92; }
main { padding: 18px 28px 40px; max-width: 1400px; }
table { border-collapse: collapse; margin: 6px 0 10px; }
th, td { border: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: var(--bg); }
.counts table td.num { text-align: right; font-variant-numeric: tabular-nums; }
.counts .problems li { color: var(--bad); font-weight: 600; }
.counts .note { color: var(--muted); }
.filters { margin: 14px 0; display: flex; gap: 14px; flex-wrap: wrap; }
fieldset.filter { border: 1px solid var(--line); border-radius: 6px; padding: 4px 10px; }
fieldset.filter label { margin-right: 12px; white-space: nowrap; cursor: pointer; }
.n { color: var(--muted); font-size: 12px; }
details.item { border: 1px solid var(--line); border-radius: 6px; margin: 6px 0; }
details.item > summary { padding: 6px 10px; cursor: pointer; list-style-position: inside; }
details.item[open] > summary { border-bottom: 1px solid var(--line); background: var(--bg); }
details.item .inner { padding: 8px 14px 12px; }
.mark { display: inline-block; width: 1.4em; font-weight: 700; }
.passed .mark, .same .mark { color: var(--ok); } .failed .mark, .differs-documented .mark { color: var(--bad); }
.warned .mark, .differs .mark { color: var(--warn); } .error .mark { color: #bc4c00; } .skipped .mark { color: var(--muted); }
.badge { display: inline-block; border: 1px solid var(--line); border-radius: 10px; padding: 0 7px; font-size: 12px; color: var(--muted); margin-left: 6px; }
.badge.inferred { border-color: #d4a72c; color: var(--warn); }
blockquote { margin: 6px 0; padding: 4px 10px; border-left: 3px solid var(--line); color: var(--muted); }
pre { background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: 6px 8px; white-space: pre-wrap; word-break: break-all; margin: 4px 0; font-size: 12.5px; }
pre.curl { border-color: #8c959f; }
.check-fail td { background: #ffebe9; } .check-warn td { background: #fff8c5; } .check-note td { background: #f6f8fa; color: var(--muted); }
.restore-failed { color: var(--bad); font-weight: 700; }
.step { margin: 10px 0 14px; }
.step h4 { margin: 4px 0; font-size: 13px; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
.columns .col h5 { margin: 2px 0; font-size: 12px; color: var(--muted); }
.diff { background: #fff1c2; outline: 2px solid #d4a72c; }
.diff.documented { background: #ffebe9; outline-color: var(--bad); }
[hidden] { display: none !important; }
`;

/** Hides an item when any filter group has its value unticked. */
const SCRIPT = `
(function () {
  var groups = Array.prototype.slice.call(document.querySelectorAll("fieldset.filter"));
  function apply() {
    var off = groups.map(function (g) {
      var attr = g.getAttribute("data-filter");
      var values = Array.prototype.slice.call(g.querySelectorAll("input")).filter(function (i) { return !i.checked; }).map(function (i) { return i.value; });
      return { attr: attr, values: values };
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-filterable]"), function (el) {
      el.hidden = off.some(function (f) { return f.values.indexOf(el.getAttribute("data-" + f.attr)) >= 0; });
    });
  }
  groups.forEach(function (g) { g.addEventListener("change", apply); });
  apply();
})();
`;

const hashOf = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
/** Exported for the test that checks the browser runs the script under it. */
export const CSP = `default-src 'none'; script-src ${hashOf(SCRIPT)}; style-src ${hashOf(CSS)}; img-src data:; base-uri 'none'; form-action 'none'`;
