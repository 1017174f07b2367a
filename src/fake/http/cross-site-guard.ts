/**
 * @module fake/http/cross-site-guard
 * The admin API can read every API key and reset the state, and the fake is a local tool: a web page the developer
 * happens to visit must not reach it. Two checks, on the admin API and the pages:
 * - Host must name an address the fake serves: a loopback name, the address it is bound to (or, bound to every
 *   interface, one of this machine's addresses), or a name given with `--allowed-host`. Any other name is a page
 *   that rebound its own domain to the fake (DNS rebinding), whose requests look same-origin to the browser and,
 *   for a GET, carry no Origin at all. This holds wherever the fake listens, 0.0.0.0 in a container included.
 * - Origin, when sent (browsers send it with cross-site requests and every write), must be the fake itself or
 *   localhost. Tools that send no Origin (curl, test code) pass.
 */
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import { networkInterfaces } from "node:os";

/** Whether a Host header's name (port removed, brackets kept for IPv6) is one the fake serves. */
export type ServesHost = (hostname: string) => boolean;

/** Why the request is refused, or undefined when it may go on. */
export function crossSiteRefusal(req: IncomingMessage, servesHost: ServesHost): string | undefined {
  const host = req.headers.host;
  if (host !== undefined && !servesHost(hostnameOf(host))) {
    return `Host "${host}" is not an address this fake serves (a DNS-rebinding page?). Use http://127.0.0.1 or http://localhost, or start the fake with --allowed-host <name> for the name your clients use`;
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

/**
 * The Host names a fake bound to `boundAddress` serves: loopback names, the bound address (every address of this
 * machine when bound to all of them), and the allowed names (any letter case, with or without a port).
 */
export function hostsServed(boundAddress: () => string | undefined, allowedHosts: readonly string[] = []): ServesHost {
  const allowed = new Set(allowedHosts.map((name) => bare(hostnameOf(name))));
  return (hostname) => {
    const name = bare(hostname);
    if (isLoopbackName(name) || allowed.has(name)) return true;
    const bound = boundAddress();
    if (bound === undefined) return false;
    if (isWildcard(bound)) return isIP(name) !== 0 && localAddresses().has(name);
    return name === bare(bound);
  };
}

/** Whether an address is loopback; a fake bound elsewhere should be told which names to serve (--allowed-host). */
export function isWildcard(address: string): boolean {
  return address === "0.0.0.0" || address === "::" || address === "0:0:0:0:0:0:0:0";
}

/** localhost, 127.0.0.0/8 and ::1 (brackets removed). */
export function isLoopbackName(hostname: string): boolean {
  const name = bare(hostname);
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  if (isIP(name) === 4) return name.startsWith("127.");
  return name === "::1" || name === "0:0:0:0:0:0:0:1";
}

function bare(hostname: string): string {
  return hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "");
}

function localAddresses(): Set<string> {
  const addresses = new Set<string>();
  for (const list of Object.values(networkInterfaces())) for (const info of list ?? []) addresses.add(info.address.toLowerCase());
  return addresses;
}

/** "127.0.0.1:4010" → "127.0.0.1", "[::1]:4010" → "[::1]". */
function hostnameOf(host: string): string {
  if (host.startsWith("[")) return host.slice(0, host.indexOf("]") + 1);
  const colon = host.lastIndexOf(":");
  return colon < 0 || host.indexOf(":") !== colon ? host : host.slice(0, colon);
}
