/**
 * @module proxy/proxy-target
 * The deployment `proxy --to` forwards to: an http(s) origin, with no credentials in it (they would be sent to every
 * request and shown wherever the URL is; the key travels in each request's own cv-api-key header instead).
 */

/** The origin and base path to forward to, or what to fix. */
export function parseProxyTarget(text: string): { ok: true; url: URL } | { ok: false; problem: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: "--to must be an absolute http(s) URL, e.g. --to https://api-staging.care360-next.carevalidate.com" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return { ok: false, problem: `--to must use http or https (got ${url.protocol.replace(/:$/, "")}): give the deployment's https:// URL` };
  if (url.username !== "" || url.password !== "")
    return {
      ok: false,
      problem: "--to must not hold credentials (user:password@): the proxy passes each request's own cv-api-key through; remove them from the URL",
    };
  if (url.search !== "" || url.hash !== "")
    return { ok: false, problem: "--to must not hold a query or a fragment: give the deployment's base URL only" };
  return { ok: true, url };
}

/** The upstream URL of a request: the target's base path, then the request's path and query as sent. */
export function upstreamUrl(target: URL, path: string, query: string): string {
  const base = target.pathname.replace(/\/+$/, "");
  return `${target.origin}${base}${path}${query ? `?${query}` : ""}`;
}
