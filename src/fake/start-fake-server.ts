/**
 * @module fake/start-fake-server
 * Starts the fake server: embeddable in any test suite, and what `cv-contract-kit serve` runs.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import jsonServerRouter from "json-server/lib/server/router/index.js";
import { loadContract, type Contract } from "../contract/contract.js";
import { createAdminApp } from "./http/admin-app.js";
import { answerClientError } from "./http/client-errors.js";
import { isLoopbackName } from "./http/cross-site-guard.js";
import { createRequestHandler } from "./http/create-request-handler.js";
import { withPages } from "./http/pages.js";
import { createUpdateProfileEndpoint } from "./http/update-profile-endpoint.js";
import { ruleConfigFrom, type RuleName } from "./rules/rule-config.js";
import { FakeStore } from "./state/fake-store.js";
import { collectGarbage } from "./state/collect-garbage.js";
import { checkFixtures, DEFAULT_FIXTURES_PATH, fixturesFromValue, loadFixturesFile, type LoadedFixtures } from "./state/load-fixtures.js";
import { StateFile, StateFileError } from "./state/state-file.js";
import type { FixtureSet } from "./state/types.js";

export interface FakeServerOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Host to listen on; 127.0.0.1 by default. */
  host?: string;
  /** A fixtures file path, or the fixtures themselves; the built-in fixtures/default.json by default. */
  fixtures?: string | FixtureSet;
  /** Keep the state in this file across restarts (atomic writes; one server per file). */
  persist?: string;
  /** Largest request body accepted, in bytes (100 KiB by default). */
  bodyLimit?: number;
  /** How long a client may take to send a whole request, in ms (30 s by default); slower ones get 408. */
  requestTimeout?: number;
  /** Switch rules off, to check that a conformance run notices. Never for real use. */
  disableRules?: readonly RuleName[];
}

export interface FakeServer {
  /** e.g. http://127.0.0.1:4010 */
  url: string;
  port: number;
  /** The live state (read it, do not change it: use the admin API or reset). */
  state(): FixtureSet;
  /** With `persist`: the state file, and whether this start created it from the fixtures. */
  stateFile?: { path: string; created: boolean };
  /** Back to the fixtures. */
  reset(): void;
  close(): Promise<void>;
}

export const DEFAULT_BODY_LIMIT = 100 * 1024;
export const DEFAULT_REQUEST_TIMEOUT = 30_000;

/**
 * @example
 * const fake = await startFakeServer();            // random port, built-in fixtures
 * const client = createClient({ baseUrl: fake.url, apiKey: "cvk_test_clinic_a_4f1c2d9e" });
 * afterEach(() => fake.reset());
 * afterAll(() => fake.close());
 */
export async function startFakeServer(options: FakeServerOptions = {}): Promise<FakeServer> {
  const contract = loadContract();
  const fixtures = resolveFixtures(contract, options.fixtures);

  let stateFile: StateFile | undefined;
  let initial = fixtures.state;
  if (options.persist) {
    const opened = StateFile.open(options.persist);
    stateFile = opened.file;
    if (opened.contents !== undefined) {
      try {
        initial = checkFixtures(contract, opened.contents, `state file ${stateFile.path}`);
      } catch (error) {
        stateFile.release();
        throw new StateFileError(`${(error as Error).message} It was left as it is; fix it or delete it.`);
      }
    }
  }

  // json-server's router builds the lowdb database (with its id helpers) that holds the state. The router itself is
  // never mounted: the admin API uses json-server's collection routers for reads only (see admin-app).
  const store = new FakeStore(jsonServerRouter<FixtureSet>(initial).db, fixtures.reload, stateFile);
  try {
    if (stateFile && initial === fixtures.state) store.saveInitial(); // first start: write the state file at once
  } catch (error) {
    store.close();
    throw error;
  }
  store.view(); // build the index now, not on the first request
  if (fixtures.large) collectGarbage();

  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const endpoint = createUpdateProfileEndpoint({ contract, store, rules: ruleConfigFrom(contract, options.disableRules), bodyLimit });
  // Slow or stuck clients must not hold the fake forever; the check runs often enough to keep the timeout's promise.
  const requestTimeout = options.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT;
  const server = createServer({
    requestTimeout,
    headersTimeout: Math.min(10_000, requestTimeout),
    connectionsCheckingInterval: Math.max(10, Math.min(30_000, Math.floor(requestTimeout / 4))),
  });
  const listensOnLoopback = () => {
    const address = server.address();
    return typeof address === "object" && address !== null && isLoopbackName(address.address);
  };
  const admin = createAdminApp({ contract, store, bodyLimit, listensOnLoopback });
  const pages = { contract, state: () => store.state, view: () => store.view(), rules: ruleConfigFrom(contract, options.disableRules), bodyLimit, listensOnLoopback };
  server.on("request", withPages(pages, createRequestHandler(contract, endpoint, admin, bodyLimit)));
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(contract, error, socket));

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  }).catch((error: unknown) => {
    store.close();
    throw error;
  });

  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    state: () => store.state,
    ...(stateFile ? { stateFile: { path: stateFile.path, created: initial === fixtures.state } } : {}),
    reset: () => {
      const result = store.reset();
      if (!result.ok) throw new StateFileError(result.detail);
    },
    close: () =>
      new Promise<void>((resolve) => {
        store.close(); // first: from now on nothing is written, and a successor may take the state file
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function resolveFixtures(contract: Contract, fixtures: string | FixtureSet | undefined): LoadedFixtures {
  if (fixtures === undefined) return loadFixturesFile(contract, DEFAULT_FIXTURES_PATH);
  if (typeof fixtures === "string") return loadFixturesFile(contract, fixtures);
  return fixturesFromValue(contract, fixtures);
}
