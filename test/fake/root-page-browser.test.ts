// The fake's start page and API reference, opened in a real browser as a person would: what the page says first, the
// keys and accounts with what each exercises, the link to the API reference, which renders (its script runs: the
// sidebar navigates, search finds operations) with no network: every request that would leave 127.0.0.1 is stopped
// and recorded, and there must be none. Screenshots go to reports/ (docs/screenshots/root-page.png, shown in the
// README, is a copy of reports/root-page.png).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeServer, type FakeServer } from "../../src/index.js";
import { launchBrowser } from "../support/browser.js";

const REPORTS = new URL("../../reports/", import.meta.url).pathname;
let fake: FakeServer;
let browser: Browser;
let page: Page;
/** Requests to anywhere but the fake: stopped, and there must be none. */
const leftLoopback: string[] = [];
/** What the Content-Security-Policy blocked, as the page reports it. */
const blocked: string[] = [];

beforeAll(async () => {
  mkdirSync(REPORTS, { recursive: true });
  fake = await startFakeServer();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(`${fake.url}/`)) return route.continue();
    leftLoopback.push(url);
    return route.abort();
  });
  await page.exposeFunction("reportBlocked", (what: string) => blocked.push(what));
  // In the page (as text: this project's TypeScript has no DOM types).
  await page.addInitScript({
    content: 'document.addEventListener("securitypolicyviolation", (e) => reportBlocked(`${e.violatedDirective} ${e.blockedURI}`));',
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await fake?.close();
});

const visible = (testId: string) => page.locator(`[data-testid="${testId}"]`);
/** The browser's window, as far as this test uses it (this project's TypeScript has no DOM types). */
type Window = { getComputedStyle(element: unknown): { backgroundColor: string } };
const row = (email: string) => page.locator(`[data-testid="account-row"][data-email="${email}"]`);

describe("the start page (GET / in a browser)", () => {
  beforeAll(async () => {
    await page.goto(`${fake.url}/`);
  });

  it("says first what this is, and the endpoint", async () => {
    expect(await page.title()).toBe("cv-contract-kit fake server");
    const header = await visible("header").innerText();
    expect(header).toMatch(/^cv-contract-kit fake server\n/);
    expect(header).toContain("A stand-in for the CareValidate Update user profile API");
    expect(await visible("endpoint").innerText()).toBe("POST /api/v1/users");
    await page.screenshot({ path: join(REPORTS, "root-page.png"), fullPage: true });
  });

  it("shows the API keys with their organizations", async () => {
    const keys = await visible("key-row").allInnerTexts();
    expect(keys.map((k) => k.split("\t").map((cell) => cell.trim()))).toEqual([
      ["key A", "cvk_test_clinic_a_4f1c2d9e", "Clinic A org-clinic-a", "Clinic A"],
      ["key B", "cvk_test_clinic_b_8a7e3b10", "Clinic B org-clinic-b", "Clinic B"],
    ]);
  });

  it("shows each account, and what an update of it answers with each key", async () => {
    expect(await visible("account-row").count()).toBe(fake.state().users.length);
    expect(await row("ana.free@clinic-a.test").innerText()).toMatch(
      /^ana\.free@clinic-a\.test\tUSER\tClinic A\tnone\t\+15550000001\t200 updates\t400 not in Clinic B$/,
    );
    expect(await row("ben.locked@clinic-a.test").innerText()).toMatch(/\tASSIGNED Clinic A\t.*\t400 \/ 200 demographic fields locked\t/);
    expect(await row("gus.both@clinic-a.test").innerText()).toMatch(
      /\tClinic A\nClinic B\tIN_PROGRESS Clinic B\t.*\t400 \/ 200 demographic fields locked\t400 \/ 200 demographic fields locked$/,
    );
    expect(await row("dan.staff@clinic-a.test").innerText()).toMatch(/\tADMIN\t.*\t400 not allowed \(ADMIN\)\t/);
    expect(await row("eve.other@clinic-b.test").innerText()).toMatch(/\t400 not in Clinic A\t200 updates$/);
    // The colors a person reads first: green, amber, red.
    const background = (email: string, key: string) =>
      row(email)
        .locator(`[data-testid="outcome-${key}"]`)
        .evaluate((cell) => (globalThis as unknown as Window).getComputedStyle(cell).backgroundColor);
    expect(await background("ana.free@clinic-a.test", "A")).toBe("rgb(218, 251, 225)");
    expect(await background("ben.locked@clinic-a.test", "A")).toBe("rgb(255, 248, 197)");
    expect(await background("dan.staff@clinic-a.test", "A")).toBe("rgb(255, 235, 233)");
    expect(await visible("legend").innerText()).toContain("Cannot update user profile fields (firstName, lastName, dob, gender) for user with cases");
  });

  it("gives a curl line, and links to the admin API", async () => {
    expect(await visible("curl").innerText()).toMatch(
      /^curl -s 'http:\/\/127\.0\.0\.1:\d+\/api\/v1\/users' \\\n {2}-H 'cv-api-key: cvk_test_clinic_a_4f1c2d9e'/,
    );
    for (const collection of ["organizations", "apiKeys", "users", "cases", "db"]) {
      expect(await visible(`admin-get-${collection}`).locator("a").getAttribute("href")).toBe(`/__admin/${collection}`);
    }
    await visible("admin-get-users").locator("a").click();
    expect(JSON.parse(await page.locator("body").innerText())).toHaveLength(fake.state().users.length);
    await page.goBack();
  });

  it("fits the window's width: nothing to scroll sideways", async () => {
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(1280);
  });

  it("loads nothing and runs nothing", () => {
    expect(leftLoopback).toEqual([]);
    expect(blocked).toEqual([]);
  });
});

describe("the API reference (/__docs), reached from the start page", () => {
  beforeAll(async () => {
    await page.goto(`${fake.url}/`);
    await visible("reference-link").click();
    await page.waitForURL(`${fake.url}/__docs`);
  });

  it("shows the contract's operations", async () => {
    await expect.poll(() => page.locator("body").innerText()).toContain("CareValidate Update user profile (cv-contract-kit contract)");
    const menu = () => page.locator('[data-component-name="Menu/MenuItem"]').allInnerTexts();
    await expect.poll(menu).toEqual(expect.arrayContaining(["users", "fake-admin", "fake-pages"]));
    await page.screenshot({ path: join(REPORTS, "root-page-reference.png") });
    await page.getByText("fake-admin", { exact: true }).first().click();
    await expect.poll(menu).toEqual(expect.arrayContaining([expect.stringMatching(/^Reset the fake's state to its fixtures\s+POST$/)]));
  });

  it("runs its script: the sidebar opens an operation, and search finds one", async () => {
    await page.getByText("users", { exact: true }).first().click();
    await expect.poll(() => page.url()).toBe(`${fake.url}/__docs#/users`);
    await expect.poll(() => page.locator("h1, h2").allInnerTexts()).toContain("Update user profile");
    await page.keyboard.press("Control+k");
    await page.keyboard.type("reset");
    await expect.poll(() => page.locator("body").innerText()).toContain("Reset the fake's state to its fixtures");
    await page.keyboard.press("Escape");
  });

  it("needs no network: no request left 127.0.0.1, and nothing but Redoc's eval probe was blocked", () => {
    expect(leftLoopback).toEqual([]);
    // Redoc's search tries `Function(…)` to decide whether it may index in a worker; the policy says no, and search
    // runs on the page instead (the test above finds "reset").
    expect(blocked.filter((what) => what !== "script-src eval")).toEqual([]);
  });
});
