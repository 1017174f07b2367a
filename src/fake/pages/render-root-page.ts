/**
 * @module fake/pages/render-root-page
 * The fake's start page, for a person with a browser: what this server is, the endpoint, the API keys and the
 * accounts of the current state with what an update of each answers with each key, a curl line, the admin API and a
 * link to the API reference. A pure function of the state and of what the contract says: no request, no response,
 * no clock.
 *
 * Fixture data is user-editable: every value is escaped for HTML, and the values in the curl lines are quoted for
 * the shell as well. The page runs no script and loads nothing; ROOT_PAGE_CSP says so to the browser.
 */
import { createHash } from "node:crypto";
import { escapeHtml } from "../../text/escape-html.js";
import { PROFILE_RULES, type ProfileFailure } from "../rules/registry.js";
import { StateIndex, type StateView } from "../state/state-index.js";
import type { ApiKey, FixtureSet } from "../state/types.js";
import { accountOutcomes, type AccountRow, type Outcome } from "./account-outcomes.js";
import type { RootPageInfo } from "./root-page-info.js";

/** Accounts (and rows of keys) shown, and keys given a column: a generated fixture set can hold 100,000 users; the
 * admin API lists them all. */
export const SHOWN_ACCOUNTS = 50;
export const SHOWN_KEYS = 6;

export interface RootPageContext extends RootPageInfo {
  /** The address the reader used, e.g. http://127.0.0.1:4010, for the curl lines. */
  baseUrl: string;
}

export function renderRootPage(state: FixtureSet, context: RootPageContext, view: StateView = new StateIndex(state)): string {
  const organizations = new Map(state.organizations.map((o) => [o.id, o.name]));
  const orgName = (id: string) => organizations.get(id) ?? id;
  const keys = state.apiKeys.slice(0, SHOWN_KEYS);
  const letters = new Map(state.apiKeys.map((key, i) => [key, keyLetter(i)]));
  const rows = accountOutcomes(state, view, context.rules, keys, SHOWN_ACCOUNTS);
  const { endpoint, baseUrl } = context;

  const header = `<header class="top" data-testid="header">
  <div>
    <h1>cv-contract-kit <span>fake server</span></h1>
    <p class="lead">A stand-in for the CareValidate <b>${text(context.endpointSummary)}</b> API, with the vendor's rules and the
    accounts below. The endpoint: <code class="endpoint" data-testid="endpoint">${text(endpoint.method)} ${text(endpoint.path)}</code>,
    with your key in the <code>cv-api-key</code> header.${
      context.search
        ? ` Profiles can be read, changing nothing, with <code data-testid="search-endpoint">GET ${text(endpoint.path)}?email=</code> (a prefix; the vendor's search users page).`
        : ""
    }</p>
  </div>
  <nav>${
    context.referencePath
      ? `<a class="button" data-testid="reference-link" href="${attr(context.referencePath)}">API reference</a>`
      : `<span class="button off" data-testid="reference-link">API reference not built (npm run build)</span>`
  }<a class="button quiet" href="/__admin/db">State as JSON</a></nav>
</header>`;

  const tryIt = tryItSection(state, keys, rows, context);

  const keysTable = `<section data-testid="api-keys">
<h2>API keys <small>send one in the <code>cv-api-key</code> header; a key acts for one organization</small></h2>
<table class="keys">
<thead><tr><th></th><th>cv-api-key</th><th>organization</th><th>label</th></tr></thead>
<tbody>
${state.apiKeys
  .slice(0, SHOWN_ACCOUNTS)
  .map(
    (key) =>
      `<tr data-testid="key-row"><th>key ${text(letters.get(key))}</th><td><code>${text(key.id)}</code></td><td>${text(orgName(key.organizationId))} <small class="muted">${text(key.organizationId)}</small></td><td>${text(key.label ?? "")}</td></tr>`,
  )
  .join("\n")}
</tbody>
</table>
${state.apiKeys.length > SHOWN_ACCOUNTS ? `<p class="more">… and ${state.apiKeys.length - SHOWN_ACCOUNTS} more: <a href="/__admin/apiKeys">GET /__admin/apiKeys</a></p>` : ""}
</section>`;

  const lockingStatuses = [...context.rules.lockingStatuses];
  const accounts = `<section data-testid="accounts">
<h2>Fixture accounts <small>what an update answers, worked out by the fake's rules from the current state</small></h2>
<table class="accounts">
<thead><tr><th>account (data.email)</th><th>role</th><th>member&nbsp;of</th><th>cases</th><th>phone</th>${keys
    .map((key) => `<th class="key">with key ${text(letters.get(key))}<br><small>${text(orgName(key.organizationId))}</small></th>`)
    .join("")}</tr></thead>
<tbody>
${rows.map((row) => accountRow(row, keys, letters, orgName)).join("\n")}
</tbody>
</table>
${
  state.users.length > rows.length
    ? `<p class="more" data-testid="more-accounts">… and ${state.users.length - rows.length} more: <a href="/__admin/users">GET /__admin/users</a></p>`
    : ""
}${state.apiKeys.length > keys.length ? `<p class="more">Columns for the first ${keys.length} of ${state.apiKeys.length} keys.</p>` : ""}
<dl class="legend" data-testid="legend">
<dt><span class="badge ok">200</span></dt><dd>every field updates: “${text(context.successMessage)}”</dd>
<dt><span class="badge locked">400 / 200</span></dt><dd>a case ${lockingStatuses.map((s) => `<b>${text(s)}</b>`).join(", ")} (in any organization) locks
  ${context.rules.lockedFields.map(text).join(", ")}: sending any of them gets “${text(context.messages.demographicFieldsLocked)}” and changes nothing; other fields update</dd>
<dt><span class="badge refused">400</span></dt><dd>every update is refused: “${text(context.messages.userNotInOrganization)}” for a user of another organization,
  “${text(context.messages.notAllowedToUpdateProfile)}” for a role other than USER</dd>
<dt><span class="badge phone">phone</span></dt><dd>another user sending a number of this column gets “${text(context.messages.phoneNumberInUse)}”; an email no account has gets “${text(context.messages.userDoesNotExist)}”</dd>
</dl>
</section>`;

  const admin = `<section data-testid="admin">
<h2>Admin API <small>fake only: read and change the state while you test; every path is in the API reference</small></h2>
<table class="admin">
<tbody>
${context.admin
  .map((link) => {
    const target = link.method === "GET" ? `<a href="${attr(link.path)}">${text(link.path)}</a>` : text(link.path);
    return `<tr data-testid="admin-${attr(link.method.toLowerCase())}-${attr(link.path.slice("/__admin/".length))}"><td class="method">${text(link.method)}</td><td>${target}</td><td>${text(link.summary)}</td></tr>`;
  })
  .join("\n")}
</tbody>
</table>
<p>Each collection also has <code>/__admin/{collection}/{id}</code> with GET, PATCH, PUT and DELETE. Writes send <code>Content-Type: application/json</code>:</p>
<pre class="curl" data-testid="reset-curl">curl -s -X POST ${text(shellQuote(`${baseUrl}/__admin/reset`))} -H 'Content-Type: application/json' -d '{}'</pre>
</section>`;

  const footer = `<footer>State of this page load: ${count(state.organizations.length, "organization")}, ${count(state.apiKeys.length, "API key")},
${count(state.users.length, "user")}, ${count(state.cases.length, "case")}. Reload after a change through the admin API.</footer>`;

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cv-contract-kit fake server</title>
<style>${CSS}</style>
</head>
<body>
${header}
<main>
${tryIt}
${keysTable}
${accounts}
${admin}
</main>
${footer}
</body>
</html>
`;
}

function tryItSection(state: FixtureSet, keys: readonly ApiKey[], rows: readonly AccountRow[], context: RootPageContext): string {
  const key = keys[0];
  if (!key)
    return `<section data-testid="try"><h2>Try it</h2><p>The state has no API key: add one with <code>POST /__admin/apiKeys</code>.</p></section>`;
  // The first account the first key can update, else the first account.
  const user = (rows.find((row) => row.outcomes[0]?.kind === "updates") ?? rows[0])?.user;
  const email = user?.email ?? "someone@example.com";
  const body = JSON.stringify({ action: "UPDATE_PROFILE", data: { email, city: "Boston" } });
  const curl = [
    `curl -s ${shellQuote(`${context.baseUrl}${context.endpoint.path}`)} \\`,
    `  -H ${shellQuote(`cv-api-key: ${key.id}`)} -H 'Content-Type: application/json' \\`,
    `  --data ${shellQuote(body)}`,
  ].join("\n");
  return `<section data-testid="try">
<h2>Try it <small>updates the city of ${text(email)}, with key A</small></h2>
<pre class="curl" data-testid="curl">${text(curl)}</pre>
</section>`;
}

function accountRow(row: AccountRow, keys: readonly ApiKey[], letters: ReadonlyMap<ApiKey, string>, orgName: (id: string) => string): string {
  const { user } = row;
  const casesCell =
    row.cases.length === 0
      ? `<span class="muted">none</span>`
      : row.cases
          .map(
            ({ case: c, locking }) =>
              `<span class="case${locking ? " locking" : ""}" title="${locking ? "locks the profile" : "does not lock"}">${text(c.status)} <small>${text(orgName(c.organizationId))}</small></span>`,
          )
          .join(" ");
  const phone = user.phoneNumber
    ? `<code>${text(user.phoneNumber)}</code>${row.phoneTakenForOthers ? "" : ` <small class="muted">(phone rule off)</small>`}`
    : `<span class="muted">none</span>`;
  return `<tr data-testid="account-row" data-email="${attr(user.email)}">
<td class="email">${text(user.email)}</td><td class="role${user.role === "USER" ? "" : " staff"}">${text(user.role)}</td>
<td>${user.organizationIds.map((id) => text(orgName(id))).join("<br>")}</td><td>${casesCell}</td><td>${phone}</td>
${row.outcomes.map((outcome, i) => outcomeCell(outcome, keys[i]!, letters.get(keys[i]!) ?? "", orgName, user.role)).join("")}
</tr>`;
}

/** How each rule names an account it refuses, from the rules' registry. */
const REFUSAL_LABELS = Object.fromEntries(PROFILE_RULES.map((rule) => [rule.failure, rule.refusalLabel])) as Record<
  ProfileFailure,
  (org: string, role: string) => string
>;

function outcomeCell(outcome: Outcome, key: ApiKey, letter: string, orgName: (id: string) => string, role: string): string {
  const testId = `data-testid="outcome-${attr(letter)}" data-outcome="${outcome.kind}"`;
  switch (outcome.kind) {
    case "updates":
      return `<td class="outcome updates" ${testId}><span class="badge ok">200</span> updates</td>`;
    case "locked":
      return `<td class="outcome locked" ${testId}><span class="badge locked">400 / 200</span> demographic fields locked</td>`;
    case "refused":
      return `<td class="outcome refused" ${testId} data-failure="${attr(outcome.failure)}"><span class="badge refused">400</span> ${text(REFUSAL_LABELS[outcome.failure](orgName(key.organizationId), role))}</td>`;
  }
}

/** key A, B, …, Z, AA, AB, … */
function keyLetter(i: number): string {
  return i < 26 ? String.fromCharCode(65 + i) : keyLetter(Math.floor(i / 26) - 1) + keyLetter(i % 26);
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** Escapes text for HTML element content. */
const text = escapeHtml;

/** Escapes a value for a double-quoted HTML attribute (the same escaping: quotes included). */
const attr = text;

/** One shell word, single-quoted: a value holding a quote cannot end the word (fixture values are user-editable). */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

const CSS = `
:root { --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --muted: #57606a; --line: #d0d7de; --bg: #f6f8fa; --ink: #1f2328; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
header.top { display: flex; justify-content: space-between; align-items: center; gap: 24px; padding: 18px 28px; background: #0b3d91; color: #fff; }
header.top h1 { margin: 0 0 4px; font-size: 26px; }
header.top h1 span { font-weight: 400; opacity: .85; }
header.top .lead { margin: 0; max-width: 860px; font-size: 15px; }
header.top code { background: rgba(255,255,255,.16); color: #fff; }
header.top code.endpoint { font-size: 15px; font-weight: 700; }
nav { display: flex; gap: 10px; flex-shrink: 0; }
.button { display: inline-block; padding: 8px 14px; border-radius: 6px; background: #fff; color: #0b3d91; font-weight: 700; text-decoration: none; white-space: nowrap; }
.button.quiet { background: transparent; color: #fff; border: 1px solid rgba(255,255,255,.6); font-weight: 400; }
.button.off { background: rgba(255,255,255,.2); color: #fff; font-weight: 400; }
main { padding: 6px 28px 8px; max-width: 1400px; }
h2 { font-size: 17px; margin: 18px 0 6px; }
h2 small { font-size: 13px; font-weight: 400; color: var(--muted); margin-left: 8px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
code { background: var(--bg); padding: 1px 4px; border-radius: 4px; }
pre.curl { background: #0d1117; color: #e6edf3; padding: 10px 14px; border-radius: 6px; margin: 4px 0; white-space: pre-wrap; word-break: break-all; }
table { border-collapse: collapse; margin: 4px 0 6px; }
table.accounts { font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--bg); font-weight: 600; }
td.email { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; white-space: nowrap; }
td.role.staff { color: var(--bad); font-weight: 600; }
td.outcome { min-width: 16em; }
td.outcome.updates { background: #dafbe1; }
td.outcome.locked { background: #fff8c5; }
td.outcome.refused { background: #ffebe9; }
td.method { font-family: ui-monospace, monospace; font-weight: 700; }
.badge { display: inline-block; white-space: nowrap; min-width: 34px; padding: 0 6px; border-radius: 10px; font-size: 12px; font-weight: 700; color: #fff; text-align: center; }
.badge.ok { background: var(--ok); }
.badge.locked { background: var(--warn); }
.badge.refused { background: var(--bad); }
.badge.phone { background: var(--muted); }
.case { display: inline-block; margin: 0 4px 2px 0; padding: 0 5px; border: 1px solid var(--line); border-radius: 4px; font-size: 12px; white-space: nowrap; }
.case.locking { border-color: var(--warn); background: #fff8c5; font-weight: 600; }
.muted, small.muted { color: var(--muted); }
.more { color: var(--muted); margin: 2px 0; }
dl.legend { display: grid; grid-template-columns: max-content 1fr; gap: 3px 10px; margin: 6px 0 0; color: #3d444d; font-size: 13px; }
dl.legend dt { text-align: right; }
dl.legend dd { margin: 0; }
footer { padding: 10px 28px 24px; color: var(--muted); font-size: 13px; }
`;

/** What the start page may do: apply its own style sheet, and nothing else (no script, no image, no request). */
export const ROOT_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash("sha256").update(CSS).digest("base64")}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");
