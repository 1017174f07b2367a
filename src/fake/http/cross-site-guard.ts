/**
 * @module fake/http/cross-site-guard
 * The admin API can read every API key and reset the state, and the fake is a local tool: a web page the developer
 * happens to visit must not reach it. Browsers send `Origin` with cross-site requests (and with every write), so a
 * request whose Origin is neither the fake itself nor localhost is refused. While the fake listens on a loopback
 * address, a Host header that is not a loopback name is refused too: that is a page that rebound its own domain
 * name to 127.0.0.1 (DNS rebinding), whose requests look same-origin to the browser. Tools that send no Origin
 * (curl, test code) pass.
 */
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";

/** Why the request is refused, or undefined when it may go on. `listensOnLoopback` is read at request time. */
export function crossSiteRefusal(req: IncomingMessage, listensOnLoopback: () => boolean): string | undefined {
  const host = req.headers.host;
  if (host !== undefined && listensOnLoopback() && !isLoopbackName(hostnameOf(host))) {
    return `Host "${host}" is not a loopback name, but this fake listens on loopback only (a DNS-rebinding page?). Use http://127.0.0.1 or http://localhost`;
  }
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return `Origin "${origin}" is not this fake server or localhost. Call the admin API from a local tool (curl, test code), not from a web page`;
  }
  if (isLoopbackName(url.hostname) || url.host === host) return undefined;
  return `Origin "${origin}" is not this fake server or localhost. Call the admin API from a local tool (curl, test code), not from a web page`;
}

/** localhost, 127.0.0.0/8 and ::1 (brackets removed). */
export function isLoopbackName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  if (isIP(name) === 4) return name.startsWith("127.");
  return name === "::1" || name === "0:0:0:0:0:0:0:1";
}

/** "127.0.0.1:4010" → "127.0.0.1", "[::1]:4010" → "[::1]". */
function hostnameOf(host: string): string {
  if (host.startsWith("[")) return host.slice(0, host.indexOf("]") + 1);
  const colon = host.lastIndexOf(":");
  return colon < 0 ? host : host.slice(0, colon);
}
