/**
 * @module fake/pages/accepts-html
 * Whether a request asks for a page: its Accept header names text/html (quality above 0) and ranks it above
 * application/json. A browser's navigation does (`text/html,application/xhtml+xml,…`); curl (a bare wildcard), fetch
 * and API clients (`application/json`), and a request with no Accept header do not, and keep the JSON answers.
 * Wildcards never count: only a client that names text/html gets HTML.
 */

export function acceptsHtml(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  let html = 0;
  let json = 0;
  for (const range of accept.split(",")) {
    const [type = "", ...params] = range.split(";").map((part) => part.trim());
    const q = quality(params);
    const name = type.toLowerCase();
    if (name === "text/html") html = Math.max(html, q);
    else if (name === "application/json") json = Math.max(json, q);
  }
  return html > 0 && html > json;
}

/** The `q` parameter (RFC 9110 §12.4.2), 1 when absent; a malformed value counts as 0. */
function quality(params: readonly string[]): number {
  for (const param of params) {
    const match = /^q\s*=\s*(\S+)$/i.exec(param);
    if (!match) continue;
    return /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(match[1]!) ? Number(match[1]) : 0;
  }
  return 1;
}
