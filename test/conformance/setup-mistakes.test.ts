// Setup mistakes are not the deployment's fault: each stops the run within seconds with exit 2 and one line saying
// what to fix (on stderr when found before sending anything, in the summary when the preflight finds it), before any
// scenario writes anything; the JUnit report still carries an <error>, never a green run.
// Then the exit-code table of docs/conformance.md, one row per test.
import { describe, expect, it } from "vitest";
import { conform, targetFileOf, type ConformRunOptions } from "../support/conform-run.js";
import { checkedReport } from "../support/report-schema.js";
import { useForeignDeployments } from "../support/use-foreign.js";
import type { ForeignDeployment } from "../support/foreign-deployment.js";
import { freePort } from "../support/prism.js";

const start = useForeignDeployments();

type Mistake = [name: string, setup: () => Promise<{ deployment: ForeignDeployment; args?: string[]; options?: ConformRunOptions }>, line: RegExp];

const withTarget = (
  d: ForeignDeployment,
  edit: (t: ReturnType<typeof targetFileOf> & { accounts: Record<string, Record<string, unknown>> }) => void,
) => {
  const target = targetFileOf(d) as ReturnType<typeof targetFileOf> & { accounts: Record<string, Record<string, unknown>> };
  edit(target);
  return target;
};

const MISTAKES: Mistake[] = [
  [
    "a wrong or rotated key",
    async () => ({ deployment: await start(), options: { apiKey: "sk_live_acme_rotated_00000000000000" } }),
    /^(?:cv-contract-kit conform: | {2}• )The API key was refused: POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/users answered 401 "Unauthorized"\. Check --api-key or CV_API_KEY/m,
  ],
  [
    "a base URL that carries the API path",
    async () => {
      const d = await start();
      return { deployment: d, options: { baseUrl: `${d.url}/api/v1` } };
    },
    /^(?:cv-contract-kit conform: | {2}• )--base-url http:\/\/127\.0\.0\.1:\d+\/api\/v1 carries the path \/api\/v1: the suite adds \/api\/v1\/users itself\. Pass http:\/\/127\.0\.0\.1:\d+\.$/m,
  ],
  [
    "a gateway answering HTML 502",
    async () => ({
      deployment: await start({
        intercept: (_, res) => (res.writeHead(502, { "content-type": "text/html" }).end("<html><body><h1>502 Bad Gateway</h1></body></html>"), true),
      }),
    }),
    /^(?:cv-contract-kit conform: | {2}• )The endpoint does not answer JSON: POST .* got 502 text\/html "<html><body><h1>502 Bad Gateway.*A gateway or proxy/m,
  ],
  [
    "a wrong phone number for phoneOwner in the target file",
    async () => {
      const d = await start();
      return { deployment: d, options: { target: withTarget(d, (t) => (t.accounts.phoneOwner!.phoneNumber = "+14155550100")) } };
    },
    /^(?:cv-contract-kit conform: | {2}• )accounts\.phoneOwner\.phoneNumber in .*target\.yaml is \+14155550100, but the target has "\+14155550199" for qa\.phone@acme\.test: fix the target file\.$/m,
  ],
  [
    "a 429 with a Retry-After longer than the suite waits",
    async () => ({
      deployment: await start({
        intercept: (_, res) => (
          res
            .writeHead(429, { "content-type": "application/json", "retry-after": "120" })
            .end('{"status":429,"success":false,"message":"Too many requests"}'),
          true
        ),
      }),
    }),
    /^(?:cv-contract-kit conform: | {2}• )The target rate-limits the suite: 429 with Retry-After 120 s, after retrying\. Wait and run again/m,
  ],
  [
    "a redirect on every request",
    async () => ({
      deployment: await start({ intercept: (_, res) => (res.writeHead(301, { location: "https://api.example.com/api/v1/users" }).end(), true) }),
    }),
    /^(?:cv-contract-kit conform: | {2}• )--base-url redirects: POST .* answered 301 to https:\/\/api\.example\.com\/api\/v1\/users\. Pass the final URL as --base-url/m,
  ],
  [
    "a misspelt account email",
    async () => {
      const d = await start();
      return { deployment: d, options: { target: withTarget(d, (t) => (t.accounts.lockedUser!.email = "qa.lockd@acme.test")) } };
    },
    /^(?:cv-contract-kit conform: | {2}• )accounts\.lockedUser \(qa\.lockd@acme\.test\) does not exist on the target \(400 "User qa\.lockd@acme\.test does not exist"\): fix its email in .*target\.yaml\.$/m,
  ],
  [
    "a misspelt account name in the target file",
    async () => {
      const d = await start();
      return {
        deployment: d,
        options: { target: withTarget(d, (t) => ((t.accounts.updatableUsr = t.accounts.updatableUser!), delete t.accounts.updatableUser)) },
      };
    },
    /^(?:cv-contract-kit conform: | {2}• ).*target\.yaml: unknown account accounts\.updatableUsr \(did you mean updatableUser\?\)/m,
  ],
  [
    "--only naming nothing",
    async () => ({ deployment: await start(), args: ["--only", "not-alowed-staff"] }),
    /^(?:cv-contract-kit conform: | {2}• )--only not-alowed-staff names no scenario id or tag \(did you mean not-allowed-staff\?\)/m,
  ],
  [
    "--skip naming nothing",
    async () => ({ deployment: await start(), args: ["--skip", "lockk"] }),
    /^(?:cv-contract-kit conform: | {2}• )--skip lockk names no scenario id or tag \(did you mean lock\?\)/m,
  ],
  [
    "a target file without staffUser (the deployment lets staff update)",
    async () => {
      const d = await start({ bugs: ["staffAllowed"] });
      return { deployment: d, options: { target: withTarget(d, (t) => delete t.accounts.staffUser) } };
    },
    /^(?:cv-contract-kit conform: | {2}• )Documented scenario not-allowed-staff cannot run: the target file names no accounts\.staffUser\. Add it to the target file, or pass --allow-skip not-allowed-staff/m,
  ],
  [
    "--timeout out of range",
    async () => ({ deployment: await start(), args: ["--timeout", "3000000000"] }),
    /^(?:cv-contract-kit conform: | {2}• )--timeout must be a whole number of milliseconds from 1 to 600000 \(received "3000000000"\)\.$/m,
  ],
  [
    "nothing left to run",
    async () => ({ deployment: await start(), args: ["--only", "success", "--read-only"] }),
    /^(?:cv-contract-kit conform: | {2}• )No scenario left to run \(\d+ skipped: .*\)\. A run that tests nothing cannot pass\.$/m,
  ],
];

describe("setup mistakes: exit 2 within seconds, one line saying what to fix", () => {
  it.each(MISTAKES)("%s", async (_, setup, line) => {
    const { deployment: d, args = [], options = {} } = await setup();
    const run = await conform(d, args, options);
    const output = `${run.stderr}\n${run.stdout}`;
    expect(run.code, output).toBe(2);
    expect(output).toMatch(line);
    expect(run.ms).toBeLessThan(5000);
    expect(run.changed).toEqual([]);
    expect(d.appliedWrites()).toBe(0);
    expect(run.stdout).not.toMatch(/^ {2}[✓✗!E] /m); // no scenario ran
    expect(run.junit).toMatch(/<testsuites tests="\d+" failures="0" errors="1"/); // skipped cases, and the error
  });

  it("an unreachable host: exit 2, and a JUnit file with an error case, not tests=0", async () => {
    const d = await start();
    const port = await freePort();
    const run = await conform(d, [], { baseUrl: `http://127.0.0.1:${port}` });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(
      /• The target cannot be reached: could not get an answer from http:\/\/127\.0\.0\.1:\d+\/api\/v1\/users: connection refused: nothing listens there \(ECONNREFUSED\)/,
    );
    expect(run.junit).toMatch(/<testsuites tests="\d+" failures="0" errors="1"/);
    expect(run.junit).toContain('<testcase classname="conformance.run" name="preflight">');
    expect(checkedReport(run.json)).toMatchObject({ exitCode: 2, preflight: { ok: false } });
  });

  it("a scenario file with a misspelt message name stops at load, naming the file and the fix", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "cv-scen-"));
    writeFileSync(
      join(dir, "typo.yaml"),
      "id: x\ntitle: t\ntier: documented\nsource: s\nsteps:\n  - send: { data: { email: a@b.test } }\n    expect: { status: 400, message: phoneNumberInUes }\n",
    );
    const d = await start();
    const run = await conform(d, ["--scenarios", dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /typo\.yaml: steps\[0\]\.expect\.message "phoneNumberInUes" is not a message of openapi\.yaml \(did you mean phoneNumberInUse\?\)/,
    );
    expect(d.requestCount()).toBe(0);
  });

  it("a target file without staffUser is accepted once --allow-skip names the scenario", async () => {
    const d = await start();
    const run = await conform(d, ["--allow-skip", "not-allowed-staff"], { target: withTarget(d, (t) => delete t.accounts.staffUser) });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/- not-allowed-staff: .*\n {6}skipped: the target file names no accounts\.staffUser/);
  });

  it("a Retry-After the suite can wait out is honoured, and the run goes on", async () => {
    let limited = 2;
    const d = await start({
      intercept: (_, res) => {
        if (limited-- <= 0) return false;
        res.writeHead(429, { "content-type": "application/json", "retry-after": "1" }).end('{"status":429,"success":false,"message":"Slow down"}');
        return true;
      },
    });
    const run = await conform(d, ["--only", "user-does-not-exist"]);
    expect(run.code).toBe(0);
    expect(run.ms).toBeGreaterThan(1900);
  });
});
