/**
 * @module fake/http/pages
 * The two pages for a browser, on node:http, in front of the fake's request handler:
 * - `GET /` (and HEAD) whose Accept names text/html: the start page (fake/pages/render-root-page). Any other request
 *   to `/` goes on to the handler and gets the 404 envelope, as before (with `Vary: Accept`);
 * - `GET /__docs` (and HEAD): the API reference built by `npm run build`, or the 404 envelope if it was not built.
 * Everything else goes on to the handler untouched. The start page shows API keys, so a request from another site's
 * page (DNS rebinding, a cross-site Origin) is refused as on the admin API.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { Contract } from "../../contract/contract.js";
import { acceptsHtml } from "../pages/accepts-html.js";
import { loadApiReference, REFERENCE_PATH, referenceBuilt, type ApiReference } from "../pages/api-reference.js";
import { renderRootPage, ROOT_PAGE_CSP } from "../pages/render-root-page.js";
import { rootPageInfo } from "../pages/root-page-info.js";
import type { RuleConfig } from "../rules/rule-config.js";
import type { StateView } from "../state/state-index.js";
import type { FixtureSet } from "../state/types.js";
import { trackExchange } from "./client-errors.js";
import { crossSiteRefusal, type ServesHost } from "./cross-site-guard.js";
import { sendError } from "./send-json.js";
import { skipBody } from "./skip-body.js";

export interface PagesOptions {
  contract: Contract;
  /** The live state, and its index. */
  state: () => FixtureSet;
  view: () => StateView;
  /** The rules as the endpoint applies them. */
  rules: RuleConfig;
  bodyLimit: number;
  /** Whether a Host name is one the fake serves (see cross-site-guard). */
  servesHost: ServesHost;
  /** The built API reference (dist/reference/index.html by default). */
  referenceFile?: string;
}

export function withPages(options: PagesOptions, next: RequestListener): RequestListener {
  const { contract, bodyLimit } = options;
  const info = rootPageInfo(contract, options.rules, referenceBuilt(options.referenceFile) ? REFERENCE_PATH : undefined);
  let reference: ApiReference | undefined; // read on first request, then kept

  return (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next(req, res);
    const url = req.url ?? "/";
    const queryAt = url.indexOf("?");
    const path = queryAt < 0 ? url : url.slice(0, queryAt);

    if (path === "/") {
      res.setHeader("vary", "Accept");
      if (!acceptsHtml(req.headers.accept)) return next(req, res);
      trackExchange(req, res);
      skipBody(req, res, bodyLimit);
      const refusal = crossSiteRefusal(req, options.servesHost);
      if (refusal) return sendError(res, contract.message("adminForbidden"), { detail: refusal });
      const html = renderRootPage(options.state(), { ...info, baseUrl: baseUrlOf(req) }, options.view());
      return sendHtml(res, html, ROOT_PAGE_CSP, "no-store");
    }

    if (path === REFERENCE_PATH) {
      trackExchange(req, res);
      skipBody(req, res, bodyLimit);
      reference ??= loadApiReference(options.referenceFile);
      if (!reference) {
        return sendError(res, contract.message("adminNotFound"), {
          path: `${req.method} ${path}: the API reference is not built; run npm run build`,
        });
      }
      return sendHtml(res, reference.html, reference.csp, "no-cache");
    }

    next(req, res);
  };
}

function sendHtml(res: ServerResponse, body: string | Buffer, csp: string, cacheControl: string): void {
  res.writeHead(200, {
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    "content-security-policy": csp,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": cacheControl,
  });
  res.end(body);
}

/** The address the reader used (the Host header, already checked on loopback), else the socket's own. */
function baseUrlOf(req: IncomingMessage): string {
  const host = req.headers.host;
  if (host) return `http://${host}`;
  const { localAddress = "127.0.0.1", localPort } = req.socket;
  return `http://${localAddress.includes(":") ? `[${localAddress}]` : localAddress}:${localPort}`;
}
