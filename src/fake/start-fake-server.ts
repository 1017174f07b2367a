/**
 * @module fake/start-fake-server
 * The fake on a port: `createFake` plus a node:http listener. Embeddable in any test suite, and what
 * `cv-contract-kit serve` runs.
 */
import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { answerClientError } from "./http/client-errors.js";
import { hostsServed } from "./http/cross-site-guard.js";
import { createRequestHandler } from "./http/create-request-handler.js";
import { assembleFake, type Fake, type FakeOptions } from "./create-fake.js";
import { withPages } from "./http/pages.js";

export { DEFAULT_BODY_LIMIT } from "./create-fake.js";

export interface FakeServerOptions extends FakeOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Host to listen on; 127.0.0.1 by default. */
  host?: string;
  /**
   * Host names the admin API and the pages answer besides loopback and the bound address (e.g. a container's
   * service name). Any other Host is refused: a DNS-rebinding page.
   */
  allowedHosts?: readonly string[];
  /** How long a client may take to send a whole request, in ms (30 s by default); slower ones get 408. */
  requestTimeout?: number;
}

export interface FakeServer extends Fake {
  /** e.g. http://127.0.0.1:4010 */
  url: string;
  port: number;
  /** Settles once the server is closed: by `close()`, or by POST /__admin/shutdown. */
  closed: Promise<void>;
}

export const DEFAULT_REQUEST_TIMEOUT = 30_000;

/**
 * @example
 * const fake = await startFakeServer();            // random port, built-in fixtures
 * const client = createClient({ baseUrl: fake.url, apiKey: "cvk_test_clinic_a_4f1c2d9e" });
 * afterEach(() => fake.reset());
 * afterAll(() => fake.close());
 */
export async function startFakeServer(options: FakeServerOptions = {}): Promise<FakeServer> {
  const parts = assembleFake(options);
  const { fake, contract, core, store, journal, faults, rules, bodyLimit } = parts;

  // Slow or stuck clients must not hold the fake forever; the check runs often enough to keep the timeout's promise.
  const requestTimeout = options.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT;
  const server = createServer({
    requestTimeout,
    headersTimeout: Math.min(10_000, requestTimeout),
    connectionsCheckingInterval: Math.max(10, Math.min(30_000, Math.floor(requestTimeout / 4))),
  });
  const boundAddress = () => {
    const address = server.address();
    return typeof address === "object" && address !== null ? address.address : undefined;
  };
  // One close, whoever asks first (close(), or POST /__admin/shutdown); `closed` settles when it is done.
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      void fake.close(); // first: from now on nothing is written, and a successor may take the state file
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  let markClosed!: () => void;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  const shutdown = () => void close().then(markClosed);

  const servesHost = hostsServed(boundAddress, options.allowedHosts);
  // The admin API (express and json-server) is loaded once the fake listens, not before: the API answers sooner.
  let adminApp: Promise<RequestListener> | undefined;
  const loadAdmin = () =>
    (adminApp ??= import("./http/admin-app.js").then(({ createAdminApp }) =>
      createAdminApp({ contract, store, bodyLimit, journal, faults, reset: parts.resetAll, servesHost, shutdown }),
    ));
  // An admin request that comes before it is loaded waits for it; its body stays unread (buffered) meanwhile.
  const admin: RequestListener = (req, res) => void loadAdmin().then((listener) => listener(req, res));
  // The start page and the API reference, for a browser (see pages); everything else goes to the core or the admin API.
  const pages = { contract, state: () => store.state, view: () => store.view(), rules, bodyLimit, servesHost };
  server.on("request", withPages(pages, createRequestHandler(core, admin, bodyLimit)));
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(contract, error, socket));

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  }).catch(async (error: unknown) => {
    await fake.close();
    throw error;
  });

  setImmediate(() => void loadAdmin());
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    ...fake,
    url: `http://${host}:${address.port}`,
    port: address.port,
    closed,
    close: () => close().then(markClosed),
  };
}
