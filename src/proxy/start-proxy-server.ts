/**
 * @module proxy/start-proxy-server
 * The proxy's listener: each request under its own /__admin is the proxy's (health, shutdown, the journal, find and
 * count), every other one is forwarded to the deployment once, its exchange checked against openapi.yaml and
 * journaled with the verdict in the fake's own request journal, so verification reads the proxy as it reads the fake.
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Contract } from "../contract/contract.js";
import { createRedactor, type Redact } from "../conformance/redact.js";
import { MAX_RESPONSE_BYTES } from "../conformance/bounded-body.js";
import { safeLine } from "../conformance/reporters/visible.js";
import type { MessageName } from "../contract/messages.js";
import { DEFAULT_BODY_LIMIT } from "../fake/create-fake.js";
import type { FakeRequest } from "../fake/core/fake-request.js";
import { DEFAULT_JOURNAL_SIZE, RequestJournal, type ProxyVerdict } from "../fake/core/request-journal.js";
import { crossSiteRefusal, hostsServed } from "../fake/http/cross-site-guard.js";
import { isJsonContentType, parseJsonBody } from "../fake/core/json-body.js";
import { readBody } from "../fake/http/read-body.js";
import { errorBody, sendJson } from "../fake/http/send-json.js";
import { compileMatcher, MatcherError } from "../fake/journal/match-request.js";
import { countRequests, findRequests } from "../fake/journal/verify-requests.js";
import { checkExchange } from "./check-exchange.js";
import { forwardOnce } from "./forward.js";
import { upstreamAnswerTooLarge, upstreamTimeout, upstreamUnreachable, type ProxyAnswer } from "./proxy-answers.js";
import { upstreamUrl } from "./proxy-target.js";
import { packageVersion } from "../package-version.js";

export const DEFAULT_PROXY_TIMEOUT_MS = 10_000;
/** The most distinct keys the proxy remembers to redact (a client sending a new key each time cannot grow it). */
const MAX_KEYS_REMEMBERED = 64;
const KEY_HEADER = "cv-api-key";

export interface ProxyOptions {
  contract: Contract;
  to: URL;
  port?: number;
  host?: string;
  timeoutMs?: number;
  /** Largest request body forwarded (the fake's default, 100 KiB); a larger one gets the documented 413. */
  bodyLimit?: number;
  /** Largest answer carried back (the conformance suite's cap, 1 MiB); a larger one gets the documented 502. */
  answerLimit?: number;
  journal?: number;
  /** Host names its admin API answers besides loopback and the bound address (the fake's `--allowed-host`). */
  allowedHosts?: readonly string[];
  /** One line per exchange that breaks the contract: visible and redacted already. */
  onBreak?: (line: string) => void;
}

/** One exchange as the proxy saw it, for what it writes on stop (the answers profile). */
export interface SeenExchange {
  method: string;
  path: string;
  query: string;
  headers: Readonly<Record<string, string | undefined>>;
  body: Buffer | undefined;
  status: number;
  contentType: string | undefined;
  answerText: string;
}

export interface ProxyServer {
  url: string;
  journal: RequestJournal;
  /** Every key the proxy passed through (to redact what it writes); never printed. */
  redact: Redact;
  /** The exchanges the deployment answered, oldest first (at most the journal's size). */
  exchanges(): readonly SeenExchange[];
  close(): Promise<void>;
  /** Resolves once closed (by close() or POST /__admin/shutdown). */
  closed: Promise<void>;
}

export async function startProxyServer(options: ProxyOptions): Promise<ProxyServer> {
  const { contract, to } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROXY_TIMEOUT_MS;
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const answerLimit = options.answerLimit ?? MAX_RESPONSE_BYTES;
  const keys = new Set<string>();
  let redact: Redact = (text) => text;
  const journal = new RequestJournal(options.journal ?? DEFAULT_JOURNAL_SIZE, { secrets: () => [...keys] });
  const seen: SeenExchange[] = [];
  const keep = Math.max(1, journal.capacity);
  const onBreak = options.onBreak ?? (() => {});
  /** An answer of the admin API in its envelope, with one of openapi.yaml's documented messages, indented as the fake's. */
  const sendDocumented = (res: ServerResponse, name: MessageName, values: Readonly<Record<string, string>>, headers: Record<string, string> = {}) => {
    const message = contract.message(name);
    sendJson(res, message.status, errorBody(message, values), headers, 2);
  };

  const remember = (key: string | undefined) => {
    if (!key || keys.has(key) || keys.size >= MAX_KEYS_REMEMBERED) return;
    keys.add(key);
    redact = createRedactor([...keys]);
  };

  let closeServer: () => Promise<void> = async () => {};
  // The journal holds what integrators sent (emails, names): a DNS-rebinding page must not read it, as for the fake.
  const servesHost = hostsServed(() => {
    const address = server.address();
    return typeof address === "object" && address !== null ? address.address : undefined;
  }, options.allowedHosts);
  const server = createServer((req, res) => {
    const arrivedAt = Date.now();
    const [rawPath = "/", ...rest] = (req.url ?? "/").split("?");
    const request: FakeRequest = {
      method: (req.method ?? "GET").toUpperCase(),
      path: rawPath,
      query: rest.join("?"),
      headers: req.headers as Record<string, string | undefined>,
    };
    const key = req.headers[KEY_HEADER];
    remember(Array.isArray(key) ? key[0] : key);
    if (!request.path.startsWith("/")) {
      // An absolute-form or authority-form target ("http://other/x", "@other/x") would name another host: never forwarded.
      sendJson(
        res,
        400,
        { status: 400, success: false, message: "The proxy forwards origin-form requests only: send a path starting with /" },
        { connection: "close" },
      );
      return;
    }
    if (request.path === "/__admin" || request.path.startsWith("/__admin/")) {
      const refusal = crossSiteRefusal(req, servesHost);
      if (refusal) {
        sendDocumented(res, "adminForbidden", { detail: refusal });
        return void req.resume();
      }
      readBody(req, bodyLimit, (result) => {
        if (result.ok) {
          try {
            admin(request, result.bytes, res);
          } catch (error) {
            // Never a crash nor a stack: the admin API answers in its envelope, as the fake's does.
            console.error("[cv-contract-kit] unexpected error on the proxy's admin API:", error);
            if (!res.headersSent) sendDocumented(res, "stateNotSaved", { detail: "internal error of the proxy (see its log)" });
          }
        } else if (result.reason === "tooLarge") sendDocumented(res, "payloadTooLarge", { limit: String(bodyLimit) }, { connection: "close" });
      });
      return;
    }
    readBody(req, bodyLimit, (result) => {
      if (!result.ok) {
        if (result.reason === "aborted") return;
        // The fake's own 413 (the API path's answer), journaled and reported as the break it is.
        const message = contract.message("payloadTooLarge");
        sendJson(res, message.status, errorBody(message, { limit: String(bodyLimit) }), { connection: "close" });
        const verdict: ProxyVerdict = {
          result: "break",
          problems: [`request: the body is larger than ${bodyLimit} bytes (--body-limit); it was not forwarded`],
        };
        journal.record(request, undefined, { status: message.status, headers: {}, outcome: "payloadTooLarge" }, arrivedAt, undefined, verdict);
        report(request, verdict, message.status);
        return;
      }
      forward(request, result.bytes, res, arrivedAt).catch(() => {
        // An answer the proxy could not relay (a header node:http refuses): the documented 502, once, never a crash.
        if (res.headersSent) return void res.destroy();
        const own = upstreamUnreachable("an answer the proxy could not relay");
        sendJson(res, own.status, own.body);
      });
    });
  });

  function report(request: FakeRequest, verdict: ProxyVerdict, status: number): void {
    if (verdict.result === "pass") return;
    const line = safeLine(redact);
    for (const problem of verdict.problems) onBreak(line(`contract break: ${request.method} ${request.path} → ${status}: ${problem}`));
  }

  async function forward(request: FakeRequest, bytes: Buffer, res: ServerResponse, arrivedAt: number): Promise<void> {
    const result = await forwardOnce(
      {
        url: upstreamUrl(to, request.path, request.query),
        method: request.method,
        headers: request.headers,
        body: bytes.length > 0 ? bytes : undefined,
      },
      { timeoutMs, answerLimit },
    );
    if (result.kind !== "answer") {
      const own: ProxyAnswer =
        result.kind === "timeout"
          ? upstreamTimeout(timeoutMs)
          : result.kind === "tooLarge"
            ? upstreamAnswerTooLarge(answerLimit)
            : upstreamUnreachable(result.reason);
      sendJson(res, own.status, own.body);
      const verdict: ProxyVerdict = { result: "noAnswer", problems: [own.body.message] };
      journal.record(request, bytes, { status: own.status, headers: {}, outcome: own.outcome }, arrivedAt, undefined, verdict);
      report(request, verdict, own.status);
      return;
    }
    const answerText = result.bytes.toString("utf8");
    const contentType = result.headers["content-type"];
    const verdict = checkExchange(contract, {
      method: request.method,
      path: request.path,
      requestBody: bytes,
      status: result.status,
      contentType,
      answerText,
    });
    res.writeHead(result.status, { ...result.headers, "content-length": String(result.bytes.length) });
    res.end(result.bytes);
    journal.record(request, bytes, { status: result.status, headers: {}, outcome: outcomeOf(result.status) }, arrivedAt, undefined, verdict);
    seen.push({
      method: request.method,
      path: request.path,
      query: request.query,
      headers: request.headers,
      body: bytes,
      status: result.status,
      contentType,
      answerText,
    });
    if (seen.length > keep) seen.shift();
    report(request, verdict, result.status);
  }

  function admin(request: FakeRequest, bytes: Buffer | undefined, res: ServerResponse): void {
    const route = `${request.method} ${request.path}`;
    // A write comes as JSON only: a cross-site HTML form cannot send one (the fake's rule for its admin API).
    const jsonBody = (): { ok: true; value: unknown } | { ok: false } => {
      if (!isJsonContentType(request.headers["content-type"])) {
        sendDocumented(res, "unsupportedMediaType", { received: request.headers["content-type"] ?? "none" });
        return { ok: false };
      }
      if (!bytes?.length) return { ok: true, value: {} };
      const parsed = parseJsonBody(bytes); // the fake's reader: the same UTF-8, BOM and depth rules
      if (!parsed.ok) sendDocumented(res, "malformedJson", { detail: parsed.detail });
      return parsed;
    };
    switch (route) {
      case "GET /__admin/health":
        return sendJson(res, 200, { status: "ok", version: packageVersion() });
      case "GET /__admin/requests":
        return sendJson(res, 200, journal.read(), {}, 2);
      case "DELETE /__admin/requests":
        journal.clear();
        seen.length = 0;
        return sendJson(res, 200, { status: 200, success: true, message: "The journal is empty" });
      case "POST /__admin/requests/find":
      case "POST /__admin/requests/count": {
        const body = jsonBody();
        if (!body.ok) return;
        try {
          const matcher = compileMatcher(contract, body.value);
          return request.path.endsWith("/find")
            ? sendJson(res, 200, { requests: findRequests(journal, matcher) }, {}, 2)
            : sendJson(res, 200, { count: countRequests(journal, matcher) });
        } catch (error) {
          if (error instanceof MatcherError) return sendDocumented(res, "invalidMatcher", { detail: error.message });
          throw error;
        }
      }
      case "POST /__admin/shutdown": {
        if (!jsonBody().ok) return;
        sendJson(res, 200, { status: 200, success: true, message: "Stopping the proxy" });
        res.on("finish", () => void closeServer());
        return;
      }
      default:
        // The fake's words, naming what this admin API serves instead (docs/proxy.md).
        return sendDocumented(res, "adminNotFound", {
          path: `${route}: the proxy's admin API serves GET /__admin/health, GET and DELETE /__admin/requests, POST /__admin/requests/find and /count, POST /__admin/shutdown`,
        });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  let closing: Promise<void> | undefined;
  closeServer = () =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }).then(resolveClosed));
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    journal,
    get redact() {
      return redact;
    },
    exchanges: () => seen,
    close: () => closeServer(),
    closed,
  };
}

/** The journal's outcome of a carried answer: `success`, or `upstream:STATUS` (the deployment's words are not the fake's message names). */
function outcomeOf(status: number): string {
  if (status >= 200 && status < 300) return "success";
  return `upstream:${status}`;
}
