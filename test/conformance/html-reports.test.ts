// The HTML reports, opened in a real browser as a person would: the verdict and counts shown, a failing scenario
// open with its curl line, passes folded, the filters working, nothing fetched from the network. Screenshots go to
// reports/ (docs/screenshots/ holds the ones the README shows).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { conformCommand } from "../../src/cli/conform.js";
import { driftCommand } from "../../src/cli/drift.js";
import { startFakeServer } from "../../src/index.js";
import { launchBrowser } from "../support/browser.js";
import { startForeignDeployment } from "../support/foreign-deployment.js";

const REPORTS = new URL("../../reports/", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "cv-html-"));
let browser: Browser;
let page: Page;
/** Every request the page makes other than its own file: there must be none. */
const fetched: string[] = [];

beforeAll(async () => {
  mkdirSync(REPORTS, { recursive: true });
  const foreign = await startForeignDeployment({ bugs: ["phoneNotUnique"] });
  const fake = await startFakeServer();
  try {
    const target = join(dir, "staging.yaml");
    writeFileSync(target, stringify({ accounts: foreign.accounts, freePhoneNumber: foreign.freePhoneNumber }));
    const quiet = () => {};
    await conformCommand(
      ["--base-url", foreign.url, "--target", target, "--api-key", foreign.apiKey, "--html", join(dir, "conformance.html")],
      quiet,
      quiet,
    );
    await driftCommand(
      [
        "--a-base-url",
        fake.url,
        "--b-target",
        target,
        "--b-base-url",
        foreign.url,
        "--b-api-key",
        foreign.apiKey,
        "--b-name",
        "staging",
        "--html",
        join(dir, "drift.html"),
      ],
      quiet,
      quiet,
    );
  } finally {
    await foreign.close();
    await fake.close();
  }
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("request", (request) => {
    if (!request.url().startsWith("file://")) fetched.push(request.url());
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

const visible = (testId: string) => page.locator(`[data-testid="${testId}"]`);

describe("the conformance report (conform --html) of a deployment that breaks the phone rule", () => {
  beforeAll(async () => {
    await page.goto(`file://${join(dir, "conformance.html")}`);
  });

  it("shows the verdict first, and the counts by tier", async () => {
    expect(await visible("verdict").innerText()).toMatch(/^Does NOT conform: a gating check failed/);
    expect(await visible("count-documented-failed").innerText()).toBe("1");
    expect(await visible("count-documented-warned").innerText()).toBe("1"); // api-key-unknown: 401, not the inferred 400
    expect(await visible("count-inferred-warned").innerText()).toBe("2");
    expect(await visible("restore-status").innerText()).toMatch(/^Every profile a scenario changed was put back/);
    await page.screenshot({ path: join(REPORTS, "conformance-report.png") });
  });

  it("opens the failing scenario, with the page's sentence, the failed check and its curl line; passes are folded", async () => {
    const failing = visible("scenario-phone-in-use");
    expect(await failing.getAttribute("open")).not.toBeNull();
    const text = await failing.innerText();
    expect(text).toContain("If the new phoneNumber provided is already associated with a different user");
    expect(text).toMatch(/failure_status[\s\S]*Received: 200[\s\S]*Documented: 400/);
    expect(await failing.locator('[data-testid="curl"]').first().innerText()).toMatch(
      /^curl -i -X POST 'http:\/\/127\.0\.0\.1:\d+\/api\/v1\/users' -H "cv-api-key: \$CV_API_KEY"/,
    );
    expect(await visible("scenario-user-does-not-exist").getAttribute("open")).toBeNull();
    await failing.screenshot({ path: join(REPORTS, "conformance-failure.png") });
  });

  it("filters by outcome and by tier", async () => {
    await visible("filter-outcome-passed").uncheck();
    expect(await visible("scenario-user-does-not-exist").isVisible()).toBe(false);
    expect(await visible("scenario-phone-in-use").isVisible()).toBe(true);
    await visible("filter-tier-documented").uncheck();
    expect(await visible("scenario-phone-in-use").isVisible()).toBe(false);
    expect(await visible("scenario-method-put").isVisible()).toBe(true); // inferred, warned
    await visible("filter-tier-documented").check();
    await visible("filter-outcome-passed").check();
    expect(await visible("scenario-user-does-not-exist").isVisible()).toBe(true);
  });

  it("is one file: nothing fetched, and no key in it", () => {
    expect(fetched).toEqual([]);
    const html = readFileSync(join(dir, "conformance.html"), "utf8");
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    expect(html).not.toContain("sk_live_acme");
  });
});

describe("the drift report (drift --html) of the fake against a deployment with other wording", () => {
  beforeAll(async () => {
    await page.goto(`file://${join(dir, "drift.html")}`);
  });

  it("shows the verdict first, the counts, and the inferred wording side by side", async () => {
    expect(await visible("verdict").innerText()).toMatch(/^Documented behaviour differs/);
    expect(await visible("count-documented").innerText()).not.toBe("0");
    expect(await visible("count-inferred-behaviour").innerText()).toBe("5");
    expect(await visible("wording-unknownApiKey").innerText()).toMatch(/400 "Organization with provided cv-api-key not found!"\s+401 "Unauthorized"/);
    expect(await visible("wording-unknownApiKey").locator("td.diff").count()).toBe(2);
    await page.screenshot({ path: join(REPORTS, "drift-report.png") });
  });

  it("puts the two answers of a scenario in two columns, the differences highlighted", async () => {
    const scenario = visible("scenario-method-put");
    expect(await scenario.getAttribute("open")).not.toBeNull();
    const columns = scenario.locator(".columns .col");
    expect(await columns.nth(0).innerText()).toMatch(/^A fake\s+status 405/);
    expect(await columns.nth(1).innerText()).toMatch(/^B staging\s+status 404/);
    expect(await scenario.locator(".diff").count()).toBeGreaterThanOrEqual(2);
    expect(await scenario.locator('[data-testid="curl"], pre.curl').count()).toBe(2);
    await scenario.screenshot({ path: join(REPORTS, "drift-two-columns.png") });
  });

  it("filters out the scenarios answered alike", async () => {
    expect(await visible("scenario-user-does-not-exist").isVisible()).toBe(true);
    await visible("filter-outcome-same").uncheck();
    expect(await visible("scenario-user-does-not-exist").isVisible()).toBe(false);
    expect(await visible("scenario-phone-in-use").isVisible()).toBe(true);
    await visible("filter-outcome-same").check();
  });
});
