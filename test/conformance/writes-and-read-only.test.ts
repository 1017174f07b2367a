// What an independent review found, one test per finding, against the foreign deployment with the reviewer's
// behaviours (test/support/foreign-deployment.ts: quirks a service may have while following the page, and bugs).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { conformCommand } from "../../src/cli/conform.js";
import { conform, interruptedRun, marked, PREFLIGHT_REQUESTS, targetFileOf } from "../support/conform-run.js";
import { useForeignDeployments } from "../support/use-foreign.js";
import { startForeignDeployment } from "../support/foreign-deployment.js";

const start = useForeignDeployments();

describe("what is written, and what is put back", () => {
  it("never writes null to clear a field the page never says can be cleared: an empty address2 is left out", async () => {
    const d = await start({ quirks: ["nullRefused"], profiles: { updatableUser: { address2: null }, lockedUser: { address2: null } } });
    const run = await conform(d);
    expect(run.code, run.stdout).toBe(0);
    expect(run.changed).toEqual([]);
    expect(run.stdout).toContain(
      "left out address, address2: on accounts.updatableUser, address is empty, address2 is empty: a value this endpoint could not take back",
    );
  });

  it("never overwrites a value it could not send back (a legacy state): the probe of state goes to an account that holds one it can put back", async () => {
    const d = await start({ profiles: { updatableUser: { state: "New York" } } });
    const run = await conform(d, ["--verbose"]);
    expect(run.changed).toEqual([]);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/✓ format-state-three-letters: /);
  });

  it("where no account holds a state it could put back, the state probe is skipped, saying what to give an account, and the run cannot say conforms", async () => {
    const d = await start({
      profiles: {
        updatableUser: { state: "New York" },
        phoneOwner: { state: "New York" },
        unlockedCaseUser: { state: null },
        lockedUser: { state: null },
      },
    });
    const run = await conform(d);
    expect(run.changed).toEqual([]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('Cannot say "conforms": documented scenario format-state-three-letters was skipped');
    expect(run.stdout).toContain("holds state in a form this endpoint could take back");
    expect((await conform(d, ["--allow-skip", "format-state-three-letters"])).code).toBe(0);
  });

  it("sends nothing to an account the key cannot read, --read-only or not: a target that writes anyway is left as it was", async () => {
    for (const args of [[], ["--read-only"]]) {
      const d = await start({ bugs: ["applyAnyway"] });
      const run = await conform(d, args);
      expect(run.changed).toEqual([]);
      expect(run.code).toBe(0);
      await d.close();
    }
  });

  it("an update that changes other users (a missing WHERE) is a documented failure; restores that undo each other are said loudly", async () => {
    const d = await start({ bugs: ["missingWhere"] });
    const run = await conform(d, ["--only", "lock-other-fields-free"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/other_accounts_unchanged:\n {8}Received: accounts\.updatableUser \(qa\.updatable@acme\.test\) changed: city/);
    expect(run.stdout).toContain(
      "!!! RESTORE FAILED for accounts.updatableUser: qa.updatable@acme.test changed again while another account was restored",
    );
    // One command with every original value: on a target that clears what an update does not send, fewer would clear the rest.
    expect(run.stdout).toContain(
      `Put them back with: curl -i -X POST '${d.url}/api/v1/users' -H "cv-api-key: $CV_API_KEY" -H 'content-type: application/json' --data-raw '{"action":"UPDATE_PROFILE","data":{"email":"qa.updatable@acme.test","firstName":"Uma","lastName":"Tester","dob":"1990-04-12","gender":"FEMALE","phoneNumber":"+14155550101","address2":"Suite 9","city":"Portland","state":"OR","country":"US","postalCode":"97201"}}'`,
    );
  });

  it("a write-behind queue (200 now, applied later) and lagging reads are waited for, then restored", { timeout: 180_000 }, async () => {
    for (const quirk of ["writeBehind", "staleReads"] as const) {
      const d = await start({ quirks: [quirk], lagMs: 400 });
      const run = await conform(d);
      await new Promise((r) => setTimeout(r, 600)); // anything still queued lands now
      expect(run.code, `${quirk}\n${run.stdout}`).toBe(0);
      expect(d.profiles()).toEqual((await startForeignDeployment()).profiles());
      await d.close();
    }
  });

  it("a restore command for locked fields says only the vendor's support team can apply it", async () => {
    const d = await start({
      bugs: ["genderNotLocked"],
      intercept: (r, res) =>
        r.body.includes('"gender":"FEMALE"') &&
        r.body.includes("qa.locked") &&
        (res
          .writeHead(400, { "content-type": "application/json" })
          .end('{"status":400,"success":false,"message":"Cannot update user profile fields (firstName, lastName, dob, gender) for user with cases"}'),
        true),
    });
    const run = await conform(d, ["--only", "lock-gender"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("could not restore gender of qa.locked@acme.test");
    expect(run.stdout).toContain(
      "(gender of a user with a locking case can only be put back by the vendor's support team, as the page says: if the lock refuses the command, send it without them)",
    );
  });

  it("the same account for two parts is refused at load", async () => {
    const d = await start();
    const target = targetFileOf(d) as { accounts: Record<string, { email: string }> };
    target.accounts.unlockedCaseUser = { ...target.accounts.updatableUser! };
    const run = await conform(d, [], { target });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "accounts.updatableUser and accounts.unlockedCaseUser are the same account (qa.updatable@acme.test): each part needs an account of its own.",
    );
    expect(d.requestCount()).toBe(0);
  });
});

describe("what --read-only sends", () => {
  it("nothing a target following the page may apply: values only the kit refuses (gender male, a phone not E.164) are left out too", async () => {
    const d = await start({ bugs: ["lowercaseGenderAccepted"] });
    const run = await conform(d, ["--read-only"]);
    expect(d.appliedWrites()).toBe(0);
    expect(run.stdout).not.toMatch(/^ {2}[✓!✗] format-gender-lower-case/m);
  });
});

describe("false passes and false failures", () => {
  it("a key that is not checked, and states of three letters, break documented rules: failures, not warnings", async () => {
    expect(marked(await conform(await start({ bugs: ["noAuth"] })), "✗")).toEqual(["api-key-empty", "api-key-missing", "api-key-unknown"]);
    expect(marked(await conform(await start({ bugs: ["lenientPlace"] })), "✗")).toEqual([
      "format-country-three-letters",
      "format-postal-code-letter",
      "format-state-three-letters",
    ]);
  });

  it("a message that quotes the email as stored, and a dob answered as YYYY-MM-DD, conform", async () => {
    const d = await start({ quirks: ["storedEmailInMessages", "dobPlain"] });
    const target = targetFileOf(d) as { accounts: Record<string, { email: string }> };
    target.accounts.otherOrganizationUser!.email = "QA.Other@Globex.test";
    const run = await conform(d, [], { target });
    expect(run.code, run.stdout).toBe(0);
    expect(marked(run, "✗")).toEqual([]);
  });

  it("an answer that lets a gender outside the list through is not a documented failure of the answer's shape", async () => {
    const run = await conform(await start({ bugs: ["lowercaseGenderAccepted"] }));
    expect(marked(run, "✗")).toEqual([]);
    expect(marked(run, "!")).toEqual(expect.arrayContaining(["format-gender-lower-case"]));
  });
});

describe("the key, in part", () => {
  it("an echo of its beginning, of its end, or in upper case is redacted, and named as an echo", async () => {
    const ascii = "sk_live_Qz81LmP0qRt55_ab7c";
    const d = await start({
      apiKey: ascii,
      intercept: (r, res) => {
        // api-key-unknown: the service echoes the beginning of the key it was sent, and names the one it expected.
        const sent = String(r.headers["cv-api-key"] ?? "");
        if (!sent.startsWith("cvk_conformance_unknown")) return false;
        res.writeHead(401, { "content-type": "application/json", "x-key-tail": ascii.slice(-10) });
        res.end(JSON.stringify({ status: 401, success: false, message: `Invalid key ${sent.slice(0, 14)}*** (${ascii.toUpperCase()})` }));
        return true;
      },
    });
    const run = await conform(d, ["--verbose"]);
    for (const text of [run.stdout, run.stderr, run.json, run.junit, run.html]) {
      for (let i = 0; i + 8 <= ascii.length; i++) expect(text.toLowerCase()).not.toContain(ascii.slice(i, i + 8).toLowerCase());
    }
    expect(run.stdout).toMatch(/api_key_not_echoed: received the answer contains the cv-api-key that was sent/);
  });

  it("a flag error never prints the value it could not place (--api-key= KEY with a stray space)", async () => {
    const err: string[] = [];
    expect(
      await conformCommand(
        ["--api-key=", "sk_live_SECRET_9f8e7d6c5b4a", "--target", "x"],
        () => {},
        (l) => err.push(l),
      ),
    ).toBe(2);
    expect(err.join("\n")).not.toContain("SECRET");
    expect(err.join("\n")).toContain("'<value hidden>'");
  });

  it("a key a header cannot carry is named as such, not as an unreachable host", async () => {
    const d = await start();
    const run = await conform(d, [], { apiKey: "sk_live_price_in_€_0000000" });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("The API key holds characters an HTTP header cannot carry");
    expect(run.stderr).not.toContain("€");
  });
});

describe("bounds and setup messages", () => {
  it("answers just under 1 MiB each: the report keeps 64 KiB of each, not a gigabyte", async () => {
    const pad = "p".repeat(1000 * 1024);
    const d = await start({
      intercept: (r, res) => {
        if (r.index < PREFLIGHT_REQUESTS) return false;
        res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ status: 400, success: false, message: "No", pad }));
        return true;
      },
    });
    const run = await conform(d);
    expect(run.json.length).toBeLessThan(30 * 1024 * 1024);
    expect(run.peakRssGrowthMb).toBeLessThan(400);
    console.log(`[review] 1 MiB answers: JSON report ${Math.round(run.json.length / 1024)} KiB, peak RSS growth ${run.peakRssGrowthMb} MB`);
  });

  it("a gateway that refuses the key in its own shape (403 Forbidden) is named a refused key", async () => {
    const d = await start({
      intercept: (_, res) => (res.writeHead(403, { "content-type": "application/json" }).end('{"message":"Forbidden"}'), true),
    });
    const run = await conform(d);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/The API key was refused: POST .* answered 403 "Forbidden"/);
  });

  it("a 429 with Retry-After 10 is reported within seconds", async () => {
    const d = await start({
      intercept: (_, res) => (
        res.writeHead(429, { "content-type": "application/json", "retry-after": "10" }).end('{"status":429,"success":false,"message":"Slow down"}'),
        true
      ),
    });
    const run = await conform(d);
    expect(run.code).toBe(2);
    expect(run.ms).toBeLessThan(7000);
    expect(run.stderr).toContain("The target rate-limits the suite: 429 with Retry-After 10 s");
  });

  it("without --target against another URL, the preflight failure says the accounts are the fake's", async () => {
    const d = await start();
    const err: string[] = [];
    const code = await conformCommand(
      ["--base-url", d.url, "--api-key", d.apiKey],
      () => {},
      (l) => err.push(l),
    );
    expect(code).toBe(2);
    expect(err.join("\n")).toContain("no --target was given, so the accounts are the fake's");
  });

  it("a report that cannot be written is exit 2", async () => {
    const d = await start();
    const dir = mkdtempSync(join(tmpdir(), "cv-rep-"));
    const file = join(dir, "target.yaml");
    writeFileSync(file, stringify(targetFileOf(d)));
    const err: string[] = [];
    const code = await conformCommand(
      ["--base-url", d.url, "--api-key", d.apiKey, "--target", file, "--only", "user-does-not-exist", "--junit", join(file, "r.xml")],
      () => {},
      (l) => err.push(l),
    );
    expect(code).toBe(2);
    expect(err.join("\n")).toContain("could not write a report");
  });

  it("--dry-run says what would stop the run, and exits 2 for it", async () => {
    const d = await start();
    const dir = mkdtempSync(join(tmpdir(), "cv-dry-"));
    const file = join(dir, "target.yaml");
    const { staffUser: _, ...accounts } = targetFileOf(d).accounts as Record<string, unknown>;
    writeFileSync(file, stringify({ ...targetFileOf(d), accounts }));
    const err: string[] = [];
    expect(
      await conformCommand(
        ["--target", file, "--dry-run"],
        () => {},
        (l) => err.push(l),
      ),
    ).toBe(2);
    expect(err.join("\n")).toContain("the run would stop: Documented scenario not-allowed-staff cannot run");
  });
});

describe("Ctrl-C", () => {
  it("finishes the scenario under way, restores its accounts, writes its reports, and exits 2", async () => {
    const d = await start({
      beforeWrite: (r) => new Promise((resolve) => setTimeout(resolve, r.body.includes('"firstName":"Conformance"') ? 1500 : 0)),
    });
    const { code, stdout, stderr, junit } = await interruptedRun(d, ["--only", "success-full-update"]);
    const output = `${stdout}\n${stderr}`;
    expect(code).toBe(2);
    expect(output).toContain("SIGINT: finishing the scenario under way and restoring its accounts");
    expect(output).toContain("Interrupted");
    expect(d.profiles()).toEqual((await startForeignDeployment()).profiles());
    expect(junit).toContain("<error");
  }, 20_000);
});
