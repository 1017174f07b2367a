// The conformance suite judged by a deployment it did not write: test/support/foreign-deployment.ts follows every
// rule the vendor page documents and differs where the page is silent (its own wording, 401 for an unknown key,
// 404 for other methods, updatedAt bumped on every call, an updatable account whose address is empty). After every
// run, every profile of that deployment is compared with its start: the suite must leave nothing changed.
import { describe, expect, it } from "vitest";
import { loadContract, loadScenarios, runConformance, DEFAULT_SCENARIOS_DIR, type Contract } from "../../src/index.js";
import { conform, marked } from "../support/conform-run.js";
import { PLANTED_BUGS, type PlantedBug } from "../support/foreign-deployment.js";
import { useForeignDeployments } from "../support/use-foreign.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";

const start = useForeignDeployments();

describe("a deployment that follows every documented rule, and differs where the page is silent", () => {
  it("conforms: exit 0, nothing left changed, a handful of one-line warnings, all of inferred behaviour", async () => {
    const run = await conform(await start());
    expect(run.code, run.stdout).toBe(0);
    expect(run.changed).toEqual([]);
    const warnings = run.stdout.split("\n").filter((l) => l.startsWith("  ! "));
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.length).toBeLessThanOrEqual(5);
    for (const line of warnings) expect(line).toMatch(/^ {2}! [\w-]+( \[inferred\])?: expected_status: received (401|404) .*, inferred (400|405)/);
    expect(marked(run, "!")).toEqual(["api-key-unknown", "method-delete", "method-put"]);
    // Its own wording is not noise: counted, not shown.
    expect(run.stdout).not.toContain("Malformed JSON");
    expect(run.stdout).toMatch(/Inferred wording: +\d+ difference\(s\) from the kit's guesses, not gating \(--verbose shows them/);
    // updatedAt moves on every call; only the contract's profile fields are compared.
    expect(run.stdout).not.toContain("updatedAt");
    expect(run.stdout).toContain("left out address: on accounts.updatableUser, address is empty: a value this endpoint could not take back");
    expect(run.stdout).not.toContain("Reproduce with");
    expect(run.stdout).toMatch(/conforms: every gating check passed · .* · exit 0$/);
  });

  it("--verbose shows each difference of inferred wording on one line, never as Documented", async () => {
    const run = await conform(await start(), ["--verbose"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `wording (inferred, not gating): inferred_message: received "Malformed JSON", inferred "Request body is not valid JSON: {detail}"`,
    );
    expect(run.stdout).toMatch(/\(restored city, postalCode of qa\.updatable@acme\.test\)/);
  });

  it("--strict gates on inferred behaviour (401, 404), labelled Inferred, and still leaves nothing changed", async () => {
    const run = await conform(await start(), ["--strict"]);
    expect(run.code).toBe(1);
    expect(marked(run, "✗")).toEqual(["api-key-unknown", "method-delete", "method-put"]);
    expect(run.stdout).toMatch(/expected_status \(inferred\):\n {8}Received: 401 .*\n {8}Inferred: 400/);
    expect(run.stdout).not.toMatch(/Documented: 400\n[\s\S]*api-key-unknown/);
    expect(run.changed).toEqual([]);
  });

  it("--strict-wording gates on the inferred wording too", async () => {
    const run = await conform(await start(), ["--strict-wording"]);
    expect(run.code).toBe(1);
    expect(marked(run, "✗")).toEqual(expect.arrayContaining(["api-key-missing", "malformed-json-truncated", "format-dob-not-a-date"]));
    expect(run.changed).toEqual([]);
  });

  it("--read-only sends nothing the deployment applies", async () => {
    const target = await start();
    const run = await conform(target, ["--read-only"]);
    expect(run.code).toBe(0);
    expect(target.appliedWrites()).toBe(0);
    expect(run.stdout).toMatch(/Not selected \(--only, --skip, --read-only\): [1-9]/);
  });
});

const EXPECTED_FAILURES: Partial<Record<PlantedBug, string[]>> = {
  staffAllowed: ["not-allowed-staff"],
  noOrganizationScope: ["user-not-in-organization"],
  genderNotLocked: ["lock-gender"],
  lockNotAtomic: ["lock-atomic"],
  phoneNotUnique: ["phone-in-use"],
  // Found by the canary, which runs first: then the run writes nothing more (every write could clear more).
  partialUpdateWipesAddress2: ["success-partial-update"],
  htmlErrorOnMalformedJson: ["malformed-json-page-example", "malformed-json-truncated"],
  htmlErrorOnLongValue: ["robust-long-string"],
  impossibleDateAccepted: ["format-dob-not-a-date"],
  noAuth: ["api-key-empty", "api-key-missing", "api-key-unknown"],
  lenientPlace: ["format-country-three-letters", "format-postal-code-letter", "format-state-three-letters"],
};

describe("each planted bug", () => {
  it.each(PLANTED_BUGS)("%s: exit 1, naming the scenarios it breaks, and nothing left changed", async (bug) => {
    const run = await conform(await start({ bugs: [bug] }));
    expect(run.code, run.stdout).toBe(1);
    expect(marked(run, "✗")).toEqual(EXPECTED_FAILURES[bug]!);
    expect(run.changed).toEqual([]);
    expect(run.stdout).toContain("Reproduce with: curl -i -X POST");
  });

  it.each(PLANTED_BUGS)("%s under --read-only: nothing left changed either", async (bug) => {
    const run = await conform(await start({ bugs: [bug] }), ["--read-only"]);
    expect([0, 1]).toContain(run.code);
    expect(run.changed).toEqual([]);
  });

  it("an HTML 500 gates even in an inferred scenario", async () => {
    const run = await conform(await start({ bugs: ["htmlErrorOnLongValue"] }));
    expect(run.stdout).toMatch(/✗ robust-long-string \[inferred\][\s\S]*not_a_server_error:\n {8}Received: 500 <!DOCTYPE html>/);
  });

  it("a date that rolls over (1995-02-30 stored as 1995-03-02) fails the documented promise that a 200 returns the update", async () => {
    const run = await conform(await start({ bugs: ["impossibleDateAccepted"] }));
    expect(run.stdout).toMatch(/update_applied:\n {8}Received: dob=1995-03-02T00:00:00\.000Z\n {8}Documented: dob=1995-02-30/);
  });
});

describe("what the suite writes, and how it puts it back", () => {
  it("snapshots every account a scenario writes to, derived from what it sends (a literal email too)", async () => {
    const target = await start({ bugs: ["staffAllowed"] });
    const dir = mkdtempSync(join(tmpdir(), "cv-scenarios-"));
    // No placeholder: the account is found by its email. The scenario wrongly expects a refusal, so it fails.
    writeFileSync(
      join(dir, "literal.yaml"),
      stringify({
        id: "literal-email",
        title: "t",
        tier: "documented",
        source: "s",
        steps: [{ send: { data: { email: "QA.Updatable@acme.test", city: "Literal City" } }, expect: { status: 400 } }],
      }),
    );
    const run = await conform(target, ["--scenarios", dir]);
    expect(run.code).toBe(1);
    expect(run.changed).toEqual([]);
  });

  it("waits for a write that timed out to land, reads the account again, restores it and names it", async () => {
    const slow = (r: { body: string }) => r.body.includes("Conformance City") && r.body.includes("qa.updatable");
    const target = await start({ beforeWrite: (r) => new Promise((resolve) => setTimeout(resolve, slow(r) ? 600 : 0)) });
    const run = await conform(target, ["--timeout", "300", "--only", "success-partial-update"]);
    expect(run.code).toBe(2); // the scenario could not be finished
    expect(run.stdout).toMatch(
      /E success-partial-update: .*\n {6}error: no answer from .* within 300 ms \(it went to accounts\.updatableUser: read again and restored below\)/,
    );
    expect(run.stdout).toMatch(/Restored: 1 profile/);
    expect(run.changed).toEqual([]);
    expect(target.appliedWrites()).toBe(2); // the late write, and the restore
  });

  it("rides out a transient 502 on the restore", async () => {
    let failed = false;
    const target = await start({
      intercept: (r, res) => {
        if (failed || !r.body.includes('"city":"Portland"')) return false;
        failed = true;
        res.writeHead(502, { "content-type": "text/html" }).end("<html>502 Bad Gateway</html>");
        return true;
      },
    });
    const run = await conform(target, ["--only", "success-partial-update"]);
    expect(failed).toBe(true);
    expect(run.code, run.stdout).toBe(0);
    expect(run.changed).toEqual([]);
  });

  it("a restore that fails: exit 2 even though a scenario failed, an <error> in JUnit, the old values and a command that puts them back", async () => {
    let refuseRestore = true;
    const target = await start({
      bugs: ["phoneNotUnique"],
      intercept: (r, res) => {
        if (!refuseRestore || !r.body.includes('"phoneNumber":"+14155550101"')) return false;
        res.writeHead(503, { "content-type": "application/json" }).end(JSON.stringify({ status: 503, success: false, message: "Maintenance" }));
        return true;
      },
    });
    const run = await conform(target, ["--only", "phone-in-use"]);
    expect(run.code).toBe(2);
    expect(marked(run, "✗")).toEqual(["phone-in-use"]);
    expect(run.stdout).toContain(
      '!!! RESTORE FAILED for accounts.updatableUser: could not restore phoneNumber of qa.updatable@acme.test; the target answered 503 "Maintenance"',
    );
    expect(run.stdout).toContain('Old values: {"phoneNumber":"+14155550101"}');
    const command = /Put them back with: (curl .*)$/m.exec(run.stdout)?.[1];
    expect(command).toBe(
      // Every original value, not only the one that differs: on a target that clears what an update does not send,
      // a command naming one field would clear the rest.
      `curl -i -X POST '${target.url}/api/v1/users' -H "cv-api-key: $CV_API_KEY" -H 'content-type: application/json' --data-raw '{"action":"UPDATE_PROFILE","data":{"email":"qa.updatable@acme.test","firstName":"Uma","lastName":"Tester","dob":"1990-04-12","gender":"FEMALE","phoneNumber":"+14155550101","address2":"Suite 9","city":"Portland","state":"OR","country":"US","postalCode":"97201"}}'`,
    );
    expect(run.junit).toMatch(
      /<error message="RESTORE FAILED: could not restore phoneNumber of qa\.updatable@acme\.test[^"]*" type="RestoreFailed">/,
    );
    expect(run.changed).toEqual(["qa.updatable@acme.test.phoneNumber"]);

    // The printed command works once the target is back.
    refuseRestore = false;
    const body = /--data-raw '(.*)'$/.exec(command!)![1]!;
    const reply = await fetch(`${target.url}/api/v1/users`, {
      method: "POST",
      headers: { "cv-api-key": target.apiKey, "content-type": "application/json" },
      body,
    });
    expect(reply.status).toBe(200);
    expect(target.profiles()["qa.updatable@acme.test"]!.phoneNumber).toBe("+14155550101");
  });

  it("restores even when a scenario throws half-way", async () => {
    const target = await start({ bugs: ["lockNotAtomic"] });
    const real = loadContract();
    // Only the lock's failure envelope is checked through it: the scenario throws half-way, after its write.
    const broken: Contract = {
      ...real,
      schemaValidator: (pointer) => (pointer.endsWith("/ErrorEnvelope") ? explode() : real.schemaValidator(pointer)),
    };
    const before = target.profiles();
    const summary = await runConformance({
      baseUrl: target.url,
      apiKey: target.apiKey,
      target: { accounts: target.accounts, freePhoneNumber: target.freePhoneNumber, unknownEmail: "nobody@acme.invalid" },
      scenarios: loadScenarios(DEFAULT_SCENARIOS_DIR).filter((s) => s.id === "lock-atomic"),
      contract: broken,
    });
    expect(summary.results[0]).toMatchObject({ id: "lock-atomic", status: "error", reason: "the scenario stopped on an error: boom" });
    expect(summary.results[0]!.restore).toMatchObject({ ok: true });
    expect(summary.exitCode).toBe(2);
    expect(target.profiles()).toEqual(before);
  });
});

function explode(): never {
  throw new Error("boom");
}
