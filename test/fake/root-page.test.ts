// The fake's start page (GET / from a browser) and its API reference (/__docs), through real HTTP: the page shows
// the keys and accounts of the current state with what an update of each answers (worked out by the fake's rules),
// an API client keeps the 404 envelope it got before, and user-editable fixture values are escaped for HTML and
// quoted for the shell. The browser test (root-page-browser.test.ts) looks at the same page as a person would.
import { execFile } from "node:child_process";
import { request as httpRequest } from "node:http";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadContract, startFakeServer, type FakeServer, type FixtureSet } from "../../src/index.js";
import { acceptsHtml } from "../../src/fake/pages/accepts-html.js";
import { renderRootPage } from "../../src/fake/pages/render-root-page.js";
import { rootPageInfo } from "../../src/fake/pages/root-page-info.js";
import { ruleConfigFrom } from "../../src/fake/rules/rule-config.js";
import { admin, expectConforms, KEY_A, KEY_B, toReply, update } from "../support/http.js";

/** Runs a line in bash, asynchronously: the fake answers from this same process. */
const bash = async (line: string) => (await promisify(execFile)("bash", ["-c", line], { encoding: "utf8" })).stdout;
const BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
/** What GET / answered before the page existed, for anything but a browser. */
const NOT_FOUND = (method: string) =>
  `{"status":404,"success":false,"message":"Not found: ${method} /. This server serves GET and POST /api/v1/users and /__admin"}`;

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeServer();
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const get = (path: string, headers: Record<string, string> = {}, method = "GET") => fetch(`${fake.url}${path}`, { method, headers }).then(toReply);
/** The cells of one account's row, by key letter: data-outcome, and data-failure when refused. */
function outcomes(html: string, email: string): Record<string, string> {
  const row = html.match(new RegExp(`<tr data-testid="account-row" data-email="${email.replace(/[.+]/g, "\\$&")}">([\\s\\S]*?)</tr>`))?.[1] ?? "";
  return Object.fromEntries(
    [...row.matchAll(/data-testid="outcome-(\w+)" data-outcome="(\w+)"(?: data-failure="(\w+)")?/g)].map(([, key, outcome, failure]) => [
      key,
      failure ?? outcome,
    ]),
  );
}

describe("GET / from a browser", () => {
  it("is the start page: 200 text/html, a strict Content-Security-Policy, never cached, Vary: Accept", async () => {
    const reply = await get("/", { accept: BROWSER });
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(reply.headers.get("content-security-policy")).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/,
    );
    expect(reply.headers.get("cache-control")).toBe("no-store");
    expect(reply.headers.get("vary")).toBe("Accept");
    expect(reply.headers.get("x-content-type-options")).toBe("nosniff");
    expect(reply.text).toMatch(/^<!DOCTYPE html>/);
    expect(reply.text).toContain('<code class="endpoint" data-testid="endpoint">POST /api/v1/users</code>');
    expect(reply.text).toContain('<code data-testid="search-endpoint">GET /api/v1/users?email=</code>');
    expect(reply.text).not.toMatch(/<script|<img|<link|<iframe|\bsrc=/i); // runs nothing, loads nothing
    expect(contractStatuses("/", "get")).toContain(200);
  });

  it("shows every API key with its organization, and every account with its role and organizations", async () => {
    const { text } = await get("/", { accept: BROWSER });
    const state = fake.state();
    for (const key of state.apiKeys) expect(text).toContain(`<code>${key.id}</code>`);
    expect(text).toMatch(/<th>key A<\/th><td><code>cvk_test_clinic_a_4f1c2d9e<\/code><\/td><td>Clinic A/);
    for (const user of state.users) expect(text).toContain(`data-email="${user.email}"`);
    expect(text).toMatch(
      /data-email="dan\.staff@clinic-a\.test">\s*<td class="email">dan\.staff@clinic-a\.test<\/td><td class="role staff">ADMIN<\/td>/,
    );
  });

  it("says what an update of each account answers with each key, as the fake itself answers it", async () => {
    const { text } = await get("/", { accept: BROWSER });
    expect(outcomes(text, "ana.free@clinic-a.test")).toEqual({ A: "updates", B: "userNotInOrganization" });
    expect(outcomes(text, "ben.locked@clinic-a.test")).toEqual({ A: "locked", B: "userNotInOrganization" });
    expect(outcomes(text, "carla.open@clinic-a.test")).toEqual({ A: "updates", B: "userNotInOrganization" }); // OPEN, ABANDONED
    expect(outcomes(text, "gus.both@clinic-a.test")).toEqual({ A: "locked", B: "locked" }); // IN_PROGRESS in clinic B
    expect(outcomes(text, "eve.other@clinic-b.test")).toEqual({ A: "userNotInOrganization", B: "updates" });
    expect(outcomes(text, "dan.staff@clinic-a.test")).toEqual({ A: "notAllowedToUpdateProfile", B: "userNotInOrganization" });
    expect(outcomes(text, "hal.worker@clinic-b.test")).toEqual({ A: "userNotInOrganization", B: "notAllowedToUpdateProfile" });

    // Each claim, checked against the fake's answers.
    const keys: Record<string, string> = { A: KEY_A, B: KEY_B };
    const messages = loadContract();
    for (const user of fake.state().users) {
      for (const [letter, outcome] of Object.entries(outcomes(text, user.email))) {
        const withLocked = await update(fake.url, { email: user.email, firstName: "Zed" }, { key: keys[letter] });
        const without = await update(fake.url, { email: user.email, city: "Boston" }, { key: keys[letter] });
        const where = `${user.email} with key ${letter}: ${outcome}`;
        if (outcome === "updates") expect([withLocked.status, without.status], where).toEqual([200, 200]);
        else if (outcome === "locked") {
          expect(withLocked.body.message, where).toBe(messages.message("demographicFieldsLocked").template);
          expect(without.status, where).toBe(200);
        } else {
          expect(withLocked.body.message, where).toBe(messages.message(outcome as "userNotInOrganization").template.replace("{email}", user.email));
          expect(without.status, where).toBe(400);
        }
        fake.reset();
      }
    }
  });

  it("follows the state: an admin change shows at the next load", async () => {
    expect(outcomes((await get("/", { accept: BROWSER })).text, "carla.open@clinic-a.test").A).toBe("updates");
    expect((await admin(fake.url, "PATCH", "/cases/c-carla-1", { status: "ASSIGNED" })).status).toBe(200);
    const { text } = await get("/", { accept: BROWSER });
    expect(outcomes(text, "carla.open@clinic-a.test").A).toBe("locked");
    expect(text).toMatch(/data-email="carla\.open@clinic-a\.test">[\s\S]*?<span class="case locking"[^>]*>ASSIGNED <small>Clinic A<\/small>/);
  });

  it("gives a curl line that works: pasted into a shell, it updates the account it names", async () => {
    const { text } = await get("/", { accept: BROWSER });
    const curl = unescapeHtml(text.match(/<pre class="curl" data-testid="curl">([\s\S]*?)<\/pre>/)![1]!);
    expect(curl).toContain(`'${fake.url}/api/v1/users'`);
    const out = await bash(curl);
    expect(JSON.parse(out)).toMatchObject({ status: 200, data: { user: { email: "john.doe@example.com", city: "Boston" } } });
  });

  it("answers HEAD with the headers alone", async () => {
    const reply = await get("/", { accept: BROWSER }, "HEAD");
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(Number(reply.headers.get("content-length"))).toBeGreaterThan(1000);
    expect(reply.text).toBe("");
  });

  it("refuses a DNS-rebinding page (Host not a loopback name), as the admin API does: the page shows API keys", async () => {
    const { port } = new URL(fake.url);
    const reply = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      httpRequest({ host: "127.0.0.1", port, path: "/", headers: { host: `evil.example:${port}`, accept: BROWSER } }, (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode!, text }));
      })
        .on("error", reject)
        .end();
    });
    expect(reply.status).toBe(403);
    expect(JSON.parse(reply.text)).toMatchObject({ status: 403, success: false });
    expect(reply.text).not.toContain("cvk_test_");
  });
});

describe("GET / from anything but a browser: the 404 envelope, as before", () => {
  it.each([
    ["Accept: application/json", { accept: "application/json" }],
    ["curl's Accept: */*", { accept: "*/*" }],
    ["no Accept header", {}],
    ["JSON preferred to HTML", { accept: "application/json, text/html;q=0.9" }],
    ["JSON and HTML alike", { accept: "application/json, text/html" }],
    ["HTML refused (q=0)", { accept: "text/html;q=0, */*" }],
  ])("%s", async (_name, headers: Record<string, string>) => {
    const reply = await rawGet("/", headers);
    expect(reply.status).toBe(404);
    expect(reply.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(reply.text).toBe(NOT_FOUND("GET"));
    expect(reply.headers.vary).toBe("Accept");
    expectConforms("/", "get", await toReply(new Response(reply.text, { status: 404, headers: { "content-type": reply.headers["content-type"]! } })));
  });

  it("other methods on / are not pages: the same 404 envelope, for a browser too", async () => {
    const reply = await fetch(`${fake.url}/`, { method: "POST", headers: { accept: BROWSER, "content-type": "application/json" }, body: "{}" }).then(
      toReply,
    );
    expect(reply.status).toBe(404);
    expect(reply.text).toBe(NOT_FOUND("POST"));
  });
});

describe("the Accept header, read as a browser and an API client mean it", () => {
  it.each([
    [BROWSER, true],
    ["text/html", true],
    ["TEXT/HTML; charset=utf-8", true],
    ["application/json;q=0.5, text/html", true],
    ["text/html;q=0.001", true],
    [undefined, false],
    ["", false],
    ["*/*", false],
    ["text/*", false],
    ["application/json", false],
    ["application/json, text/html", false],
    ["text/html;q=0", false],
    ["text/html;q=2", false],
    ["text/html;q=abc", false],
    ["text/htmlx", false],
  ])("%s → %s", (accept, expected) => {
    expect(acceptsHtml(accept)).toBe(expected);
  });
});

describe("fixture values are user-editable: escaped for HTML, quoted for the shell", () => {
  const HOSTILE_EMAIL = "o'neil&co`id`@evil.test";
  const HOSTILE_KEY = "cvk_'$(touch /tmp/cv-pwned)'<b>&x";
  const hostile: FixtureSet = {
    organizations: [{ id: 'org-"><i>', name: '<script>alert("org")</script>' }],
    apiKeys: [{ id: HOSTILE_KEY, organizationId: 'org-"><i>', label: "<img src=x onerror=alert(1)>" }],
    users: [{ id: "u-x", email: HOSTILE_EMAIL, role: "USER", organizationIds: ['org-"><i>'], phoneNumber: "+15550009999" }],
    cases: [],
  };
  let hostileFake: FakeServer;
  beforeAll(async () => {
    hostileFake = await startFakeServer({ fixtures: hostile });
  });
  afterAll(() => hostileFake.close());

  it("puts no fixture value in the page as markup", async () => {
    const { text } = await fetch(`${hostileFake.url}/`, { headers: { accept: BROWSER } }).then(toReply);
    expect(text).not.toContain("<script>");
    expect(text).not.toContain("<img");
    expect(text).not.toContain("<b>&x");
    expect(text).not.toContain('"><i>');
    expect(text).toContain("&lt;script&gt;alert(&quot;org&quot;)&lt;/script&gt;");
    expect(text).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(text).toContain("o&#39;neil&amp;co`id`@evil.test");
    expect(text).toContain('data-email="o&#39;neil&amp;co`id`@evil.test"');
    expect(text).toContain("org-&quot;&gt;&lt;i&gt;");
  });

  it("quotes the curl line's values for the shell: run, it sends them as they are and runs nothing else", async () => {
    const { text } = await fetch(`${hostileFake.url}/`, { headers: { accept: BROWSER } }).then(toReply);
    const curl = unescapeHtml(text.match(/<pre class="curl" data-testid="curl">([\s\S]*?)<\/pre>/)![1]!);
    // The same words, printed one per line instead of sent: a quote in a value would split or run them.
    const words = (await bash(curl.replace(/^curl -s /, "printf '%s\\n' "))).trimEnd().split("\n");
    expect(words).toEqual([
      `${hostileFake.url}/api/v1/users`,
      "-H",
      `cv-api-key: ${HOSTILE_KEY}`,
      "-H",
      "Content-Type: application/json",
      "--data",
      JSON.stringify({ action: "UPDATE_PROFILE", data: { email: HOSTILE_EMAIL, city: "Boston" } }),
    ]);
    const out = await bash(curl);
    expect(JSON.parse(out)).toMatchObject({ status: 200, data: { user: { email: HOSTILE_EMAIL, city: "Boston" } } });
  });
});

describe("renderRootPage: a pure function of the state and the contract", () => {
  it("renders without a server, and says so when the API reference is not built", () => {
    const contract = loadContract();
    const html = renderRootPage(fake.state(), { ...rootPageInfo(contract, ruleConfigFrom(contract), undefined), baseUrl: "http://127.0.0.1:4010" });
    expect(html).toContain("API reference not built (npm run build)");
    expect(html).toContain("curl -s &#39;http://127.0.0.1:4010/api/v1/users&#39;");
  });

  it("with a rule switched off, says what the fake then answers", () => {
    const contract = loadContract();
    const info = rootPageInfo(contract, ruleConfigFrom(contract, ["demographicLock", "roleCheck"]), "/__docs");
    const html = renderRootPage(fake.state(), { ...info, baseUrl: "http://127.0.0.1:4010" });
    expect(outcomes(html, "ben.locked@clinic-a.test").A).toBe("updates");
    expect(outcomes(html, "dan.staff@clinic-a.test").A).toBe("updates");
  });

  it("shows the first 50 accounts and keys of a large state (6 keys as columns), and where to find the others", () => {
    const contract = loadContract();
    const state = fake.state();
    const many = {
      ...state,
      apiKeys: Array.from({ length: 60 }, (_, i) => ({ id: `cvk_test_many_${i}`, organizationId: "org-clinic-a" })),
      users: Array.from({ length: 120 }, (_, i) => ({ ...state.users[1]!, id: `u-${i}`, email: `user${i}@clinic-a.test`, phoneNumber: null })),
    };
    const html = renderRootPage(many, { ...rootPageInfo(contract, ruleConfigFrom(contract), "/__docs"), baseUrl: "http://127.0.0.1:4010" });
    expect(html.match(/data-testid="account-row"/g)).toHaveLength(50);
    expect(html.match(/data-testid="key-row"/g)).toHaveLength(50);
    expect(Object.keys(outcomes(html, "user0@clinic-a.test"))).toEqual(["A", "B", "C", "D", "E", "F"]);
    expect(html).toContain('… and 70 more: <a href="/__admin/users">GET /__admin/users</a>');
    expect(html).toContain('… and 10 more: <a href="/__admin/apiKeys">GET /__admin/apiKeys</a>');
    expect(html).toContain("Columns for the first 6 of 60 keys.");
  });
});

describe("GET /__docs: the API reference built from openapi.yaml", () => {
  it("is one self-contained page, its own scripts allowed by hash and nothing else", async () => {
    const reply = await get("/__docs", { accept: "application/json" }); // whatever the Accept
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = reply.headers.get("content-security-policy")!;
    expect(csp).toMatch(/^default-src 'none'; script-src 'sha256-[^']+' 'sha256-[^']+'; style-src 'unsafe-inline'; img-src data:; font-src data:;/);
    expect(csp).not.toMatch(/unsafe-eval|https?:|\*/);
    expect(reply.text).toContain("CareValidate Update user profile (cv-contract-kit contract)");
    expect(reply.text).toContain('"disableTelemetry":true');
    expect(reply.text).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?(https?:)?\/\//i);
    expect(reply.text).not.toContain("cdn.redoc.ly/redoc/logo");
  });

  it("answers HEAD with the headers alone", async () => {
    const reply = await get("/__docs", {}, "HEAD");
    expect(reply.status).toBe(200);
    expect(reply.text).toBe("");
  });

  it("is described in openapi.yaml, with the pages, as fake only", () => {
    const { spec } = loadContract();
    for (const [path, methods] of [
      ["/", ["get", "head"]],
      ["/__docs", ["get", "head"]],
    ] as const) {
      expect(Object.keys(spec.paths[path]!).sort()).toEqual([...methods].sort());
      for (const method of methods) expect((spec.paths[path]![method] as Record<string, unknown>)["x-kit-fake-only"]).toBe(true);
    }
  });
});

function contractStatuses(path: string, method: string): number[] {
  return loadContract().documentedStatuses(path, method);
}

/** GET with exactly these headers (fetch would add its own Accept). */
function rawGet(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | undefined>; text: string }> {
  const { port } = new URL(fake.url);
  return new Promise((resolve, reject) => {
    httpRequest({ host: "127.0.0.1", port, path, headers }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers as Record<string, string | undefined>, text }));
    })
      .on("error", reject)
      .end();
  });
}

function unescapeHtml(html: string): string {
  return html
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}
