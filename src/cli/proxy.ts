/**
 * @module cli/proxy
 * `cv-contract-kit proxy --to URL`: a thin adapter over src/proxy. Parses the flags by PROXY_OPTIONS, starts the
 * proxy, prints one line per contract break, and on stop (Ctrl+C, SIGTERM, POST /__admin/shutdown) writes the
 * answers profile it was asked for.
 *
 * No `--drift-report`: a drift report (DriftReport) is two runs of the same scenarios, side A and side B, compared
 * scenario by scenario. The proxy sees one side, and ordinary traffic rather than scenarios, so it has neither a
 * second side nor a scenario to put a difference under; its journal (GET /__admin/requests, each entry with its
 * verdict) is what it saw.
 */
import { fileURLToPath } from "node:url";
import { loadContract } from "../contract/contract.js";
import { profileBase, writeAnswersProfile } from "../conformance/drift/answers-profile.js";
import { safeLine } from "../conformance/reporters/visible.js";
import { MAX_RESPONSE_BYTES } from "../conformance/bounded-body.js";
import { MAX_JOURNAL_SIZE } from "../fake/core/request-journal.js";
import { answersProfileSeen } from "../proxy/answers-seen.js";
import { parseProxyTarget } from "../proxy/proxy-target.js";
import { DEFAULT_PROXY_TIMEOUT_MS, startProxyServer, type ProxyServer } from "../proxy/start-proxy-server.js";
import { defineOptions, optionsHelp, parseCommandLine } from "./options-table.js";
import { bytesFrom, countFrom, portFrom, UsageError } from "./parse-options.js";

export const PROXY_OPTIONS = defineOptions({
  to: { type: "string", value: "<url>", help: "The deployment to forward to (required): an http(s) URL without credentials" },
  port: { type: "string", value: "<n>", help: "Port (default 4011; 0 picks a free one)" },
  host: { type: "string", value: "<host>", help: "Host (default 127.0.0.1)" },
  "allowed-host": {
    type: "string",
    value: "<name>",
    multiple: true,
    help: "A Host name the proxy's admin API answers besides loopback and the bound address (repeatable).\nAny other name is refused with 403: a DNS-rebinding page",
  },
  timeout: {
    type: "string",
    value: "<ms>",
    help: `Wait this long for each answer of the deployment (default ${DEFAULT_PROXY_TIMEOUT_MS}); then 504, never a retry`,
  },
  "body-limit": { type: "string", value: "<n>", help: "Largest request body forwarded: bytes, or 100kb, 1mb (default 100kb); larger ones get 413" },
  "answer-limit": { type: "string", value: "<n>", help: `Largest answer carried back (default ${MAX_RESPONSE_BYTES} bytes); larger ones get 502` },
  journal: { type: "string", value: "<n>", help: "Exchanges the journal keeps (GET /__admin/requests; default 1000, at most 100000)" },
  "answers-profile": {
    type: "string",
    value: "<file>",
    help: "On stop, write the deployment's answers where the page is silent into this fixtures file's\n`answers` section (as drift --write-profile does); then `serve --fixtures <file>` answers like it",
  },
  help: { type: "boolean", short: "h", help: "Show this help", hiddenInSynopsis: true },
});

const HELP = `Usage: cv-contract-kit proxy --to <url> [options]

Forwards every request to the deployment unchanged (the cv-api-key passes through and is never printed or
journaled), checks the request and the answer against openapi.yaml, journals each exchange with its verdict, and
prints one line per contract break.

${optionsHelp(PROXY_OPTIONS)}

Admin API (the proxy's own, under /__admin): GET /__admin/health · GET /__admin/requests (each with its verdict) ·
POST /__admin/requests/find and /count (docs/verification.md) · POST /__admin/shutdown {}

Example:
  cv-contract-kit proxy --to https://api-staging.care360-next.carevalidate.com --answers-profile staging.json

Exit codes: 0 stopped (Ctrl+C, SIGTERM or POST /__admin/shutdown), 1 the profile could not be written, 2 a flag is
wrong or the port is taken.`;

const BUILT_IN_FIXTURES = fileURLToPath(new URL("../../fixtures/default.json", import.meta.url));

export interface ProxyIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Called once the proxy listens (tests read its URL). */
  onListening?: (proxy: ProxyServer) => void;
  /** Stops the proxy when it resolves (tests); SIGINT and SIGTERM always do. */
  stop?: Promise<unknown>;
}

const consoleIo: ProxyIo = { out: (line) => console.log(line), err: (line) => console.error(line) };

export async function proxyCommand(argv: readonly string[], io: ProxyIo = consoleIo): Promise<number> {
  const parsed = parseCommandLine("proxy", argv, PROXY_OPTIONS, HELP, io.out, io.err);
  if ("exit" in parsed) return parsed.exit;
  const { flags } = parsed;
  const usage = (message: string) => {
    io.err(`cv-contract-kit proxy: ${message}`);
    return 2;
  };
  if (!flags.to) return usage("--to <url> is required: the deployment to forward to, e.g. --to https://api-staging.care360-next.carevalidate.com");
  const target = parseProxyTarget(flags.to);
  if (!target.ok) return usage(target.problem);
  const contract = loadContract();
  if (flags["answers-profile"]) {
    // Known at start, not after an hour of traffic: a file that cannot take a profile.
    try {
      profileBase(contract, flags["answers-profile"], BUILT_IN_FIXTURES);
    } catch (error) {
      return usage(`--answers-profile: ${(error as Error).message}.`);
    }
  }
  let proxy: ProxyServer;
  try {
    const timeoutMs = flags.timeout === undefined ? DEFAULT_PROXY_TIMEOUT_MS : countFrom(flags.timeout, "--timeout", 600_000);
    if (timeoutMs < 1) throw new UsageError("--timeout must be 1 ms or more");
    proxy = await startProxyServer({
      contract,
      to: target.url,
      port: portFrom(flags.port, "--port", 4011),
      host: flags.host ?? "127.0.0.1",
      allowedHosts: flags["allowed-host"] ?? [],
      timeoutMs,
      ...(flags["body-limit"] !== undefined ? { bodyLimit: bytesFrom(flags["body-limit"], "--body-limit") } : {}),
      ...(flags["answer-limit"] !== undefined ? { answerLimit: bytesFrom(flags["answer-limit"], "--answer-limit") } : {}),
      ...(flags.journal !== undefined ? { journal: countFrom(flags.journal, "--journal", MAX_JOURNAL_SIZE) } : {}),
      onBreak: io.out,
    });
  } catch (error) {
    const { code, address, port } = error as NodeJS.ErrnoException & { address?: string; port?: number };
    if (code === "EADDRINUSE") return usage(`port ${port} on ${address} is taken by another process: pass --port <n>, or --port 0 for a free one.`);
    if (error instanceof UsageError) return usage((error as Error).message);
    io.err(`cv-contract-kit proxy: ${(error as Error).message}`);
    return 1;
  }

  const stopped = new Promise<void>((resolve) => {
    const stop = () => void proxy.close().then(resolve);
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    void io.stop?.then(stop);
    void proxy.closed.then(() => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    });
  });
  // The deployment's URL as given holds no credentials (parseProxyTarget refused them); shown visibly all the same.
  const line = safeLine(proxy.redact);
  io.out(line(`cv-contract-kit proxy listening on ${proxy.url}, forwarding to ${target.url.origin}${target.url.pathname.replace(/\/$/, "")}`));
  io.out(`Contract breaks are printed here; the journal: ${proxy.url}/__admin/requests. Stop: Ctrl+C or POST ${proxy.url}/__admin/shutdown.`);
  io.onListening?.(proxy);
  await stopped;
  io.out("Stopped the proxy.");
  const file = flags["answers-profile"];
  if (!file) return 0;
  const redact = proxy.redact;
  const profile = answersProfileSeen(contract, proxy.exchanges(), redact);
  try {
    writeAnswersProfile(contract, file, profile, BUILT_IN_FIXTURES, undefined, redact);
  } catch (error) {
    io.err(safeLine(redact)(`cv-contract-kit proxy: the answers profile was not written: ${(error as Error).message}.`));
    return 1;
  }
  const names = Object.entries(profile.answers);
  io.out(safeLine(redact)(`Answers profile written to ${file}: ${names.length} answer${names.length === 1 ? "" : "s"} where the page is silent.`));
  for (const [name, answer] of names) io.out(safeLine(redact)(`  ${name}: ${answer.status} ${JSON.stringify(answer.message)}`));
  for (const { name, reason } of profile.leftOut) io.out(safeLine(redact)(`  left out ${name}: ${reason}`));
  io.out(`Start the fake with it: cv-contract-kit serve --fixtures ${file}`);
  return 0;
}
