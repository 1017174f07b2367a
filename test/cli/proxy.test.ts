// cv-contract-kit proxy --to URL (issue 23, part 3): in front of the fake and of deployments written like other
// teams would (test/support/foreign-deployment.ts, test/support/variants/), the proxy forwards each request once,
// journals its verdict against openapi.yaml, prints a line per break, never shows the key, answers the documented
// 502/504 when the deployment gives nothing it can carry, and writes an answers profile on stop that the fake loads.
import { createServer, type RequestListener, type Server } from "node:http";
import { mkdtempSync, readFileSync } from "node:fs";
import { connect, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { proxyCommand } from "../../src/cli/proxy.js";
import { loadContract } from "../../src/contract/contract.js";
import type { ProxyServer } from "../../src/proxy/start-proxy-server.js";
import { createFake, defaultFixtures } from "../../src/index.js";
import { DEFAULT_FOREIGN_KEY } from "../support/foreign-deployment.js";
import { KEY_A } from "../support/http.js";
import { useFakeServers } from "../support/use-fake.js";
import { useForeignDeployments } from "../support/use-foreign.js";
import { drawKnobs, startVariant, type VariantDeployment } from "../support/variants/index.js";

const contract = loadContract();
const startFake = useFakeServers();
const startForeign = useForeignDeployments();

interface Running {
  proxy: ProxyServer;
  out: string[];
  err: string[];
  /** Stops the proxy (as Ctrl+C would) and resolves to the exit code. */
  stop(): Promise<number>;
}

const running: Running[] = [];
const others: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
  await Promise.all(others.splice(0).map((o) => o.close()));
});

async function startProxy(args: string[]): Promise<Running> {
  const out: string[] = [];
  const err: string[] = [];
  let stopNow!: () => void;
  const stop = new Promise<void>((resolve) => (stopNow = resolve));
  let listening!: (proxy: ProxyServer) => void;
  const started = new Promise<ProxyServer>((resolve) => (listening = resolve));
  const exit = proxyCommand(["--port", "0", ...args], { out: (l) => out.push(l), err: (l) => err.push(l), onListening: listening, stop });
  const proxy = await Promise.race([started, exit.then((code) => Promise.reject(new Error(`the proxy exited ${code}: ${err.join(" ")}`)))]);
  const r: Running = { proxy, out, err, stop: () => (stopNow(), exit) };
  running.push(r);
  return r;
}

const post = (url: string, body: string, key: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/v1/users`, {
    method: "POST",
    headers: { "content-type": "application/json", "cv-api-key": key, ...headers },
    body,
    signal: AbortSignal.timeout(5000),
  });
const update = (url: string, data: Record<string, unknown>, key: string) => post(url, JSON.stringify({ action: "UPDATE_PROFILE", data }), key);
const adminPost = (url: string, path: string, body: unknown) =>
  fetch(`${url}/__admin/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
const journal = async (url: string) =>
  (
    (await (await fetch(`${url}/__admin/requests`)).json()) as {
      requests: { verdict?: { result: string; problems: string[] }; status: number | null; headers: Record<string, string> }[];
    }
  ).requests;

/** A deployment of our own making, for answers no test deployment gives (slow, huge). */
async function rawUpstream(handler: RequestListener): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits++;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  others.push({ close: () => new Promise<void>((resolve) => (server.close(() => resolve()), server.closeAllConnections())) });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
}

/** The proxy's own answer, held to openapi.yaml's description of the status. */
async function expectDocumentedProxyAnswer(response: Response, status: number) {
  expect(response.status).toBe(status);
  const body = (await response.json()) as { success: boolean; message: string };
  expect(contract.responseValidator("/api/v1/users", "post", status)!(body)).toEqual([]);
  expect(body.success).toBe(false);
  return body;
}

describe("proxy in front of the fake", () => {
  it("forwards unchanged, gives conforming exchanges a pass, and find/count work on its own /__admin", async () => {
    const fake = await startFake();
    const { proxy, out } = await startProxy(["--to", fake.url]);
    const answer = await update(proxy.url, { email: "ana.free@clinic-a.test", city: "Boston" }, KEY_A);
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { data: { user: { city: string } } }).data.user.city).toBe("Boston");
    const refused = await update(proxy.url, { email: "ben.locked@clinic-a.test", firstName: "Benjamin" }, KEY_A);
    expect(refused.status).toBe(400);
    // The fake saw the request as sent, key included (it answered 200 with it).
    expect(fake.countRequests({ method: "POST", data: { city: "Boston" } })).toBe(1);
    const entries = await journal(proxy.url);
    expect(entries.map((e) => [e.status, e.verdict?.result])).toEqual([
      [200, "pass"],
      [400, "pass"],
    ]);
    expect(out.filter((l) => l.startsWith("contract break"))).toEqual([]);
    const count = await adminPost(proxy.url, "requests/count", { method: "POST", data: { email: "ana.free@clinic-a.test" }, status: 200 });
    expect(await count.json()).toEqual({ count: 1 });
    const found = (await (await adminPost(proxy.url, "requests/find", { status: 400 })).json()) as {
      requests: { body: { data: { firstName: string } } }[];
    };
    expect(found.requests.map((r) => r.body.data.firstName)).toEqual(["Benjamin"]);
    const bad = await adminPost(proxy.url, "requests/find", { path: { matches: "(a+)+" } });
    expect(bad.status).toBe(400);
  });

  it("its admin answers are the ones openapi.yaml describes for those routes", async () => {
    const fake = await startFake();
    const { proxy } = await startProxy(["--to", fake.url]);
    await update(proxy.url, { email: "ana.free@clinic-a.test", city: "Boston" }, KEY_A);
    const checks: [string, string, Response][] = [
      ["/__admin/health", "get", await fetch(`${proxy.url}/__admin/health`)],
      ["/__admin/requests", "get", await fetch(`${proxy.url}/__admin/requests`)],
      ["/__admin/requests/count", "post", await adminPost(proxy.url, "requests/count", {})],
      ["/__admin/requests", "delete", await fetch(`${proxy.url}/__admin/requests`, { method: "DELETE" })],
    ];
    for (const [path, method, response] of checks) {
      expect(contract.documentedStatuses(path, method), path).toContain(response.status);
      expect(contract.responseValidator(path, method, response.status)!(await response.json()), `${method} ${path}`).toEqual([]);
    }
    expect(await journal(proxy.url)).toEqual([]);
  });

  it("never shows the key: not in stdout, stderr, the journal or the profile", async () => {
    const fake = await startFake();
    const dir = mkdtempSync(join(tmpdir(), "cv-proxy-"));
    const profile = join(dir, "profile.json");
    const r = await startProxy(["--to", fake.url, "--answers-profile", profile]);
    // A break that quotes the key: the request body holds it where a field is refused.
    await update(r.proxy.url, { email: "ana.free@clinic-a.test", city: KEY_A, nickname: KEY_A }, KEY_A);
    await post(r.proxy.url, `{"action":"UPDATE_PROFILE","data":{"email":"${KEY_A}"`, KEY_A);
    const journalText = await (await fetch(`${r.proxy.url}/__admin/requests`)).text();
    expect(await r.stop()).toBe(0);
    expect(r.out.some((l) => l.startsWith("contract break"))).toBe(true);
    // The profile's answers section is what the proxy wrote; the rest is the built-in fixtures, which hold the fake's keys.
    const answers = JSON.stringify((JSON.parse(readFileSync(profile, "utf8")) as { answers: unknown }).answers);
    // The fake's malformed-JSON answer quotes the parser, which the profile cannot copy: left out, and said.
    expect(r.out.join("\n")).toMatch(/left out malformedJson: /);
    for (const text of [r.out.join("\n"), r.err.join("\n"), journalText, answers]) expect(text).not.toContain(KEY_A);
    expect(journalText).toContain("[redacted]");
  });

  it("answers a body over --body-limit with the documented 413 and forwards nothing", async () => {
    const fake = await startFake();
    const { proxy } = await startProxy(["--to", fake.url, "--body-limit", "200"]);
    const response = await update(proxy.url, { email: "ana.free@clinic-a.test", city: "x".repeat(500) }, KEY_A);
    await expectDocumentedProxyAnswer(response, 413);
    expect(fake.countRequests({})).toBe(0);
  });
});

describe("proxy in front of deployments of other teams", () => {
  it("a conforming independent deployment and a conforming variant: every exchange passes", async () => {
    const foreign = await startForeign();
    const variant: VariantDeployment = await startVariant({ knobs: drawKnobs(3) });
    others.push(variant);
    for (const [url, key, email] of [
      [foreign.url, foreign.apiKey, foreign.accounts.updatableUser.email],
      [variant.url, variant.apiKey, variant.target.accounts.updatableUser.email],
    ] as const) {
      const { proxy, out } = await startProxy(["--to", url]);
      expect((await update(proxy.url, { email, city: "Lyon" }, key)).status).toBe(200);
      expect((await update(proxy.url, { email: "nobody@nowhere.test", city: "Lyon" }, key)).status).toBe(400);
      const verdicts = (await journal(proxy.url)).map((e) => e.verdict);
      expect(verdicts, out.join("\n")).toEqual([
        { result: "pass", problems: [] },
        { result: "pass", problems: [] },
      ]);
    }
  });

  it("a break gets a line naming what broke, and the entry's verdict says it", async () => {
    const foreign = await startForeign({ bugs: ["htmlErrorOnMalformedJson"] });
    const { proxy, out } = await startProxy(["--to", foreign.url]);
    const response = await post(proxy.url, "{", foreign.apiKey);
    expect(response.status).toBe(500); // relayed as the deployment gave it
    expect(await response.text()).toContain("<!DOCTYPE html>");
    const lines = out.filter((l) => l.startsWith("contract break"));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("\n")).toMatch(/POST \/api\/v1\/users → 500: (answer: 500 came as text\/html|request: the body is not JSON)/);
    expect(lines.join("\n")).toContain("answer: POST /api/v1/users answered 500, which openapi.yaml does not list");
    const [entry] = await journal(proxy.url);
    expect(entry!.verdict!.result).toBe("break");
  });

  it("shows control characters of a break visibly, never raw", async () => {
    const upstream = await rawUpstream((_req, res) => {
      res.writeHead(418, { "content-type": "application/json" });
      res.end("{}");
    });
    const { proxy, out } = await startProxy(["--to", upstream.url]);
    await fetch(`${proxy.url}/api/v1/users?x=1`, { method: "DELETE", headers: { "cv-api-key": DEFAULT_FOREIGN_KEY } });
    await fetch(`${proxy.url}/nope%1b%5b31m`, { headers: { "cv-api-key": DEFAULT_FOREIGN_KEY } });
    const text = out.join("\n");
    expect(text).toContain("answered 418, which openapi.yaml does not list");
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });
});

describe("the proxy's admin API and a DNS-rebinding page", () => {
  /** A raw request, for a Host header fetch will not send; resolves to the status and the body. */
  const rawGet = (url: string, path: string, host: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const { port } = new URL(url);
      const socket = connect(Number(port), "127.0.0.1", () => socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
      let text = "";
      socket.setTimeout(3000, () => socket.destroy(new Error("no answer")));
      socket.on("data", (chunk) => (text += chunk.toString("utf8")));
      socket.on("close", () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]), body: text.slice(text.indexOf("\r\n\r\n") + 4) }));
      socket.on("error", reject);
    });

  it("refuses a Host it does not serve with the documented 403, answers --allowed-host names, and still forwards the API", async () => {
    const upstream = await rawUpstream((_req, res) => res.writeHead(404, { "content-type": "application/json" }).end("{}"));
    const { proxy } = await startProxy(["--to", upstream.url, "--allowed-host", "proxy.internal"]);
    const { port } = new URL(proxy.url);

    const rebound = await rawGet(proxy.url, "/__admin/requests", `evil.example:${port}`);
    expect(rebound.status).toBe(403);
    expect(rebound.body).toContain("evil.example");
    expect(rebound.body).not.toContain('"requests"');
    expect(contract.message("adminForbidden").status).toBe(403);

    expect((await rawGet(proxy.url, "/__admin/health", `proxy.internal:${port}`)).status).toBe(200);
    expect((await rawGet(proxy.url, "/__admin/health", `127.0.0.1:${port}`)).status).toBe(200);
    // The API path is the deployment's to judge: the proxy forwards it whatever the Host.
    expect((await rawGet(proxy.url, "/api/v1/users?email=a%40b.c", `evil.example:${port}`)).status).toBe(404);
    expect(upstream.hits()).toBe(1);
  });

  it("answers its admin mistakes with the fake's documented messages", async () => {
    const upstream = await rawUpstream((_req, res) => res.end("{}"));
    const { proxy } = await startProxy(["--to", upstream.url]);
    const words = async (res: Response) => ({ status: res.status, message: ((await res.json()) as { message: string }).message });
    const unknown = await words(await fetch(`${proxy.url}/__admin/nope`));
    expect(unknown.status).toBe(contract.message("adminNotFound").status);
    expect(unknown.message).toMatch(/^Not found: GET \/__admin\/nope: the proxy's admin API serves /);
    const notJson = await words(
      await fetch(`${proxy.url}/__admin/requests/count`, { method: "POST", headers: { "content-type": "text/plain" }, body: "x" }),
    );
    expect(notJson).toEqual({ status: 415, message: "Content-Type must be application/json (received text/plain)" });
    const broken = await words(
      await fetch(`${proxy.url}/__admin/requests/count`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" }),
    );
    expect(broken.status).toBe(400);
    expect(broken.message).toMatch(/^Request body is not valid JSON: /);
    const badMatcher = await words(await adminPost(proxy.url, "requests/count", { nope: 1 }));
    expect(badMatcher.status).toBe(400);
    expect(badMatcher.message).toMatch(/^Invalid request matcher: /);
    expect(upstream.hits()).toBe(0);
  });

  it("refuses a foreign Origin on its admin API", async () => {
    const upstream = await rawUpstream((_req, res) => res.end("{}"));
    const { proxy } = await startProxy(["--to", upstream.url]);
    const res = await fetch(`${proxy.url}/__admin/shutdown`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example" },
      body: "{}",
      signal: AbortSignal.timeout(5000),
    });
    expect(res.status).toBe(403);
    expect((await fetch(`${proxy.url}/__admin/health`)).status).toBe(200); // still running
  });
});

describe("the proxy's own answers, as openapi.yaml documents them (x-kit-proxy-only)", () => {
  it("never forwards a request whose target names another host (absolute or authority form)", async () => {
    const upstream = await rawUpstream((_req, res) => res.end("{}"));
    const { proxy } = await startProxy(["--to", upstream.url]);
    const { port } = new URL(proxy.url);
    const refusedByTheProxy: string[] = [];
    for (const target of ["http://example.invalid/api/v1/users", "@example.invalid/api/v1/users"]) {
      const head = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), "127.0.0.1", () => socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
        let text = "";
        socket.setTimeout(3000, () => socket.destroy(new Error("no answer")));
        socket.on("data", (chunk) => (text += chunk.toString("latin1")));
        socket.on("close", () => resolve(text));
        socket.on("error", reject);
      });
      expect(head, target).toMatch(/^HTTP\/1\.1 400 /);
      // node:http refuses some forms itself (an empty 400); the rest are the proxy's to refuse.
      if (head.includes("origin-form requests only")) refusedByTheProxy.push(target);
    }
    expect(refusedByTheProxy).toContain("http://example.invalid/api/v1/users");
    expect(upstream.hits()).toBe(0);
  });

  it("deployment down: the documented 502, journaled as noAnswer", async () => {
    const gone = await rawUpstream(() => {});
    const url = gone.url;
    await others.pop()!.close(); // nothing listens there now
    const { proxy } = await startProxy(["--to", url]);
    const body = await expectDocumentedProxyAnswer(await update(proxy.url, { email: "a@b.test", city: "X" }, KEY_A), 502);
    expect(body.message).toMatch(/did not answer .*not retried/);
    expect((await journal(proxy.url))[0]!.verdict!.result).toBe("noAnswer");
  });

  it("deployment slow: the documented 504 after --timeout, and the POST was sent once", async () => {
    const slow = await rawUpstream(() => {}); // never answers
    const { proxy } = await startProxy(["--to", slow.url, "--timeout", "200"]);
    const started = Date.now();
    await expectDocumentedProxyAnswer(await update(proxy.url, { email: "a@b.test", city: "X" }, KEY_A), 504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(Date.now() - started).toBeLessThan(3000);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a retry would have arrived by now
    expect(slow.hits()).toBe(1);
  });

  it("an answer over --answer-limit: the documented 502", async () => {
    const huge = await rawUpstream((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(`{"pad":"${"x".repeat(20_000)}"}`);
    });
    const { proxy } = await startProxy(["--to", huge.url, "--answer-limit", "4kb"]);
    const body = await expectDocumentedProxyAnswer(await update(proxy.url, { email: "a@b.test", city: "X" }, KEY_A), 502);
    expect(body.message).toContain("4096 bytes");
  });

  it("a POST that fails upstream is sent exactly once (a 503, and a reset connection)", async () => {
    let calls = 0;
    const flaky = await rawUpstream((req, res) => {
      calls++;
      if (calls === 1) {
        res.writeHead(503, { "content-type": "application/json", "retry-after": "1" });
        res.end(JSON.stringify({ status: 503, success: false, message: "busy" }));
      } else req.socket.destroy();
    });
    const { proxy } = await startProxy(["--to", flaky.url]);
    expect((await update(proxy.url, { email: "a@b.test", city: "X" }, KEY_A)).status).toBe(503);
    expect(flaky.hits()).toBe(1);
    await expectDocumentedProxyAnswer(await update(proxy.url, { email: "a@b.test", city: "Y" }, KEY_A), 502);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(flaky.hits()).toBe(2);
  });
});

describe("on stop", () => {
  it("POST /__admin/shutdown stops it and writes an answers profile that the fake's fixtures load", async () => {
    const foreign = await startForeign({ quirks: [] });
    const dir = mkdtempSync(join(tmpdir(), "cv-proxy-"));
    const file = join(dir, "staging.json");
    const r = await startProxy(["--to", foreign.url, "--answers-profile", file]);
    expect((await post(r.proxy.url, "{", foreign.apiKey)).status).toBe(400);
    expect((await post(r.proxy.url, "{}", "")).status).toBe(400);
    expect((await adminPost(r.proxy.url, "shutdown", {})).status).toBe(200);
    await r.proxy.closed;
    expect(await r.stop()).toBe(0);
    const written = JSON.parse(readFileSync(file, "utf8")) as { answers: Record<string, { status: number; message: string }> };
    expect(written.answers.malformedJson).toEqual({ status: 400, message: "Malformed JSON" });
    expect(r.out.join("\n")).toContain("Answers profile written to");
    // The fixtures file loads, and the fake now answers like the deployment.
    const fake = createFake({ fixtures: written as never });
    const answer = await fake.fetch("http://fake/api/v1/users", {
      method: "POST",
      headers: { "content-type": "application/json", "cv-api-key": KEY_A },
      body: "{",
    });
    expect([answer.status, ((await answer.json()) as { message: string }).message]).toEqual([400, "Malformed JSON"]);
    await fake.close();
    expect(Object.keys(defaultFixtures())).toEqual(expect.arrayContaining(Object.keys(written).filter((k) => k !== "answers")));
  });
});

describe("flags", () => {
  it.each([
    [["--to", "https://user:pw@example.test"], /--to must not hold credentials/],
    [["--to", "ftp://example.test"], /--to must use http or https \(got ftp\)/],
    [["--to", "not a url"], /--to must be an absolute http\(s\) URL/],
    [[], /--to <url> is required/],
    [["--to", "http://127.0.0.1:1", "--timeout", "soon"], /--timeout must be a whole number/],
  ])("%j: exit 2 and one line saying what to fix", async (args, words) => {
    const err: string[] = [];
    expect(await proxyCommand(args, { out: () => {}, err: (l) => err.push(l) })).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(words);
    expect(err[0]).not.toContain("pw");
  });
});
