/**
 * @module cli/serve
 * `cv-contract-kit serve`: starts the fake and prints what a first-day user needs: the URL, the API keys,
 * which fixture account exercises which rule, and a request to try.
 */
import { startFakeServer, type FakeServer } from "../fake/start-fake-server.js";
import { MAX_JOURNAL_SIZE } from "../fake/core/request-journal.js";
import type { FixtureAnswers, FixtureSet } from "../fake/state/types.js";
import { parseArgs } from "node:util";
import { defineOptions, optionsHelp } from "./options-table.js";
import { FORCED_STATUSES } from "../fake/faults/forced-status.js";
import { FAULT_EFFECTS, faultEffectsHelp } from "../fake/faults/registry.js";
import { exposeGarbageCollector } from "../fake/state/collect-garbage.js";
import { bytesFrom, countFrom, delayFrom, portFrom, UsageError, withUsage } from "./parse-options.js";
import { visible } from "../conformance/reporters/visible.js";
import { isLoopbackName, isWildcard } from "../fake/http/cross-site-guard.js";

export const SERVE_OPTIONS = defineOptions({
  port: { type: "string", value: "<n>", help: "Port (env CV_FAKE_PORT; default 4010; 0 picks a free one)" },
  host: { type: "string", value: "<host>", help: "Host (env CV_FAKE_HOST; default 127.0.0.1)" },
  "allowed-host": {
    type: "string",
    value: "<name>",
    multiple: true,
    help: "A Host name the admin API and the start page answer besides loopback and the bound\naddress, e.g. a container's service name (repeatable; env CV_FAKE_ALLOWED_HOSTS, comma-separated).\nAny other name is refused with 403: a DNS-rebinding page",
  },
  fixtures: { type: "string", value: "<file>", help: "Fixtures JSON (env CV_FAKE_FIXTURES; default: the built-in fixtures/default.json)" },
  persist: { type: "string", value: "<file>", help: "Keep the state in this file across restarts (env CV_FAKE_PERSIST)" },
  "body-limit": { type: "string", value: "<n>", help: "Largest request body: bytes, or 100kb, 1mb (default 100kb); larger ones get 413" },
  delay: { type: "string", value: "<ms>", help: "Answer every API request this late: 250, or 100-400 for a random delay in between" },
  journal: { type: "string", value: "<n>", help: "Requests the journal keeps (GET /__admin/requests; default 1000, at most 100000; 0 turns it off)" },
  help: { type: "boolean", short: "h", help: "Show this help", hiddenInSynopsis: true },
});

const HELP = `Usage: cv-contract-kit serve [options]

${optionsHelp(SERVE_OPTIONS)}

Examples:
  cv-contract-kit serve                                  the built-in fixtures on http://127.0.0.1:4010
  cv-contract-kit serve --port 0 --fixtures my.json      your fixtures, on a free port
  cv-contract-kit serve --persist .state/fake.json       changes survive a restart
  cv-contract-kit serve --delay 100-400                  a slow service, to try your timeouts

Admin API (JSON bodies, Content-Type: application/json; every path and query parameter is in openapi.yaml):
  GET /__admin/users · POST /__admin/users · PATCH /__admin/cases/<id> · POST /__admin/reset · GET /__admin/db
  GET /__admin/requests?email=&status=&since=   what your app sent (DELETE empties it)
  GET /__admin/health     200 once the fake serves (wait on it)  · POST /__admin/shutdown {}  stops it, exit 0
  POST /__admin/faults {"status":503,"times":1}   a fault: status ${FORCED_STATUSES.join("/")}, delay, or an effect
                                                 (GET lists, DELETE clears):
${faultEffectsHelp("                                                   ")}
  Or per request: the header  Prefer: code=503  (or delay=250, fault=${FAULT_EFFECTS.join("|")}), as Prism reads it.

Exit codes: 0 stopped (Ctrl+C, SIGTERM or POST /__admin/shutdown), 1 it could not start (fixtures, state file),
2 a flag is wrong or the port is taken.`;

export async function serveCommand(argv: readonly string[]): Promise<number> {
  let fake: FakeServer;
  let allowedHosts: string[] = [];
  try {
    const { values: flags } = withUsage(() => parseArgs({ args: [...argv], options: SERVE_OPTIONS }), HELP);
    if (flags.help) {
      console.log(HELP);
      return 0;
    }
    const env = process.env;
    exposeGarbageCollector(); // this process is the command's own: large fixtures' garbage is collected at once
    allowedHosts =
      flags["allowed-host"] ??
      (env.CV_FAKE_ALLOWED_HOSTS ?? "")
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean);
    fake = await startFakeServer({
      port: flags.port !== undefined ? portFrom(flags.port, "--port", 4010) : portFrom(env.CV_FAKE_PORT, "CV_FAKE_PORT", 4010),
      host: flags.host ?? (env.CV_FAKE_HOST || "127.0.0.1"),
      allowedHosts,
      fixtures: flags.fixtures ?? (env.CV_FAKE_FIXTURES || undefined),
      persist: flags.persist ?? (env.CV_FAKE_PERSIST || undefined),
      ...(env.CV_FAKE_PERSIST_LOG_LIMIT ? { persistLogLimit: bytesFrom(env.CV_FAKE_PERSIST_LOG_LIMIT, "CV_FAKE_PERSIST_LOG_LIMIT") } : {}),
      ...(flags["body-limit"] !== undefined ? { bodyLimit: bytesFrom(flags["body-limit"], "--body-limit") } : {}),
      ...(flags.delay !== undefined ? { delay: delayFrom(flags.delay, "--delay") } : {}),
      ...(flags.journal !== undefined ? { journal: countFrom(flags.journal, "--journal", MAX_JOURNAL_SIZE) } : {}),
    });
  } catch (error) {
    const { code, address, port } = error as NodeJS.ErrnoException & { address?: string; port?: number };
    if (code === "EADDRINUSE") {
      // A setup mistake, said in one line (no stack): a script can tell it from a fake that crashed.
      console.error(
        `cv-contract-kit serve: port ${port} on ${address} is taken by another process: pass --port <n> (or CV_FAKE_PORT), or --port 0 for a free one.`,
      );
      return 2;
    }
    console.error(`cv-contract-kit serve: ${(error as Error).message}`);
    return error instanceof UsageError ? 2 : 1;
  }

  // Listen for the stop signals before saying "listening": a SIGTERM sent as soon as the banner shows must still
  // stop the fake gracefully (release the state file, write nothing more), not kill it.
  const stopped = new Promise<number>((resolve) => {
    let signalled = false;
    const stop = () => {
      signalled = true;
      console.log("\nStopping the fake server.");
      void fake.close().then(() => resolve(0));
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    // POST /__admin/shutdown closed it: the same clean stop, for scripts that cannot send a signal to the right process.
    void fake.closed.then(() => {
      if (signalled) return;
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      console.log("\nStopped by POST /__admin/shutdown.");
      resolve(0);
    });
  });
  console.log(banner(fake.url, fake.state(), fake.answers));
  const hostname = new URL(fake.url).hostname;
  if (!isLoopbackName(hostname) && allowedHosts.length === 0) {
    // Said, not refused: in a container this is the usual; the clients' name must then be given.
    console.log(
      `Note: the fake listens beyond loopback (${hostname}). The admin API and the start page answer only Host names it serves: loopback, ${isWildcard(hostname.replace(/^\[|\]$/g, "")) ? "this machine's addresses" : hostname}, and --allowed-host names (none given). Clients that reach it by a name (a container's service name) need --allowed-host <name>.`,
    );
  }
  if (fake.stateFile) {
    // Never a silent reseed: say which state the fake runs on.
    console.log(
      fake.stateFile.created
        ? `State file ${fake.stateFile.path} did not exist: created it from the fixtures. Changes are saved there.`
        : `State loaded from ${fake.stateFile.path}. Changes are saved there; POST /__admin/reset goes back to the fixtures.`,
    );
  }
  return stopped;
}

function banner(url: string, fixtures: FixtureSet, answers: FixtureAnswers): string {
  // Said where it shows: these answers are a deployment's (drift --write-profile), not openapi.yaml's.
  const aligned = Object.entries(answers).map(([name, answer]) => `  ${name.padEnd(21)} ${answer.status} ${JSON.stringify(answer.message)}`);
  const orgName = new Map(fixtures.organizations.map((o) => [o.id, o.name]));
  const keys = fixtures.apiKeys.map((k) => `  ${k.id}  → ${orgName.get(k.organizationId) ?? k.organizationId}`);
  const SHOWN = 20; // a generated fixture set can hold 100,000 users
  const accounts = fixtures.users.slice(0, SHOWN).map(
    (u) =>
      `  ${u.email.padEnd(30)} ${u.role.padEnd(11)} ${u.organizationIds
        .map((id) => orgName.get(id) ?? id)
        .join(", ")
        .padEnd(20)} ${u.note ?? ""}`,
  );
  const firstKey = fixtures.apiKeys[0]?.id ?? "<key>";
  return [
    `cv-contract-kit fake server listening on ${url}`,
    `Open ${url}/ in a browser: the keys, the accounts and what each exercises, the API reference.`,
    "",
    "API keys (header cv-api-key):",
    ...keys,
    "",
    "Fixture accounts (email, role, organizations, what it exercises):",
    ...accounts,
    ...(fixtures.users.length > SHOWN ? [`  … and ${fixtures.users.length - SHOWN} more (GET ${url}/__admin/users)`] : []),
    "",
    ...(aligned.length > 0 ? ["Answers set by the fixtures' answers section, where the vendor page is silent:", ...aligned, ""] : []),
    "Try it:",
    `  curl -s ${url}/api/v1/users -H 'cv-api-key: ${firstKey}' -H 'Content-Type: application/json' \\`,
    `    --data '{"action":"UPDATE_PROFILE","data":{"email":"ana.free@clinic-a.test","city":"Boston"}}'`,
    `  curl -s '${url}/api/v1/users?email=ana' -H 'cv-api-key: ${firstKey}'   # search users (the vendor's search page; docs/search-users.md)`,
    "",
    `Admin: ${url}/__admin/users · PATCH ${url}/__admin/cases/<id> · POST ${url}/__admin/reset (writes send Content-Type: application/json)`,
    `       ${url}/__admin/requests (what was sent) · POST ${url}/__admin/faults (see serve --help)`,
    `Press Ctrl+C to stop (a script: POST ${url}/__admin/shutdown; GET ${url}/__admin/health answers 200 while it serves).`,
  ]
    .map((line) => visible(line)) // names, emails and notes come from a fixtures file: shown, never obeyed
    .join("\n");
}
