// One test per case the verdicts issue found on deployments written elsewhere: each is a variant deployment
// (test/support/variants) with the knobs or the planted break of that case, run through the whole suite.
import { describe, expect, it } from "vitest";
import { restoreFailure } from "../../src/conformance/restore-account.js";
import { loadContract, checkTarget } from "../../src/index.js";
import { createTransport } from "../../src/conformance/transport.js";
import { explain, runOnVariant, variantKnobs, type VariantRun } from "../support/variant-runs.js";
import type { Break, Knobs, Refusal } from "../support/variants/index.js";

const SEED = 4242;
const refusal = (status: Refusal["status"], envelope: Refusal["envelope"], code: string, message = "Request refused"): Refusal => ({
  status,
  envelope,
  code,
  message,
});
const ran = (run: VariantRun, id: string) => run.summary.results.find((r) => r.id === id);
const failedChecks = (run: VariantRun, id: string) =>
  ran(run, id)!.steps.flatMap((s) => s.checks.filter((c) => !c.ok && (c.tier === "documented" || c.always)).map((c) => c.check));

async function conforming(adjust: (k: Knobs) => Partial<Knobs>): Promise<VariantRun> {
  const knobs = variantKnobs(SEED);
  const run = await runOnVariant(SEED, { ...knobs, ...adjust(knobs) });
  expect(run.summary.exitCode, explain(run, "a conforming variant did not conform")).toBe(0);
  expect(run.changed).toEqual([]);
  return run;
}

async function broken(b: Break, adjust: (k: Knobs) => Partial<Knobs> = () => ({})): Promise<VariantRun> {
  const knobs = variantKnobs(SEED);
  const run = await runOnVariant(SEED, { ...knobs, ...adjust(knobs) }, b);
  expect(run.summary.exitCode, explain(run, "a planted break did not fail the run")).toBe(1);
  expect(run.changed, explain(run, "left changed")).toEqual([]);
  return run;
}

const empty = (k: Knobs, account: keyof Knobs["accounts"]["emptyFields"], fields: Knobs["accounts"]["emptyFields"]["updatableUser"]) => ({
  accounts: { ...k.accounts, emptyFields: { ...k.accounts.emptyFields, [account]: [...new Set([...k.accounts.emptyFields[account], ...fields])] } },
});

describe("a conforming deployment that differs only where the page is silent conforms", () => {
  it("refusing a missing or unknown key with 401 in the vendor's newer envelope {status, success, error, code}", async () => {
    const run = await conforming((k) => ({
      refusals: {
        ...k.refusals,
        missingKey: refusal(401, "statusErrorCode", "UNAUTHORIZED"),
        emptyKey: refusal(401, "statusErrorCode", "UNAUTHORIZED"),
        unknownKey: refusal(401, "statusErrorCode", "UNAUTHORIZED"),
      },
    }));
    expect(ran(run, "api-key-missing")!.status).toBe("warned"); // status and envelope: inferred
  });

  it("answering malformed JSON and a bare null with 400 {error, code: INVALID_JSON}", async () => {
    await conforming((k) => ({
      jsonStrict: true,
      refusals: { ...k.refusals, malformedJson: refusal(400, "errorCode", "INVALID_JSON", "Invalid JSON") },
    }));
  });

  it('taking gender "male" and storing it as MALE: the updated user details, not an echo', async () => {
    const run = await conforming(() => ({ genderCase: "upper", genderValues: "enum" }));
    expect(failedChecks(run, "format-gender-lower-case")).toEqual([]);
  });

  it(
    "refusing a postal code that is not 5 digits first, under generated lock probes: a refusal for another reason is no lock failure",
    { timeout: 180_000 },
    async () => {
      const knobs = { ...variantKnobs(SEED), postalCode: "fiveDigits" as const, validationAt: "beforeLookup" as const };
      const run = await runOnVariant(SEED, knobs, undefined, { runs: 400, seed: SEED });
      expect(run.summary.exitCode, explain(run, "a stricter postal code failed a rule probe")).toBe(0);
      expect(run.summary.results.find((r) => r.id === "fuzz-lock-probe")?.status).toBe("passed");
    },
  );

  it("with city null on the locked account: lock-other-fields-free writes the fields it holds instead, and runs", async () => {
    const run = await conforming((k) => empty(k, "lockedUser", ["city", "address2"]));
    expect(ran(run, "lock-other-fields-free")!.status).toBe("passed");
  });
});

describe("a planted break of one documented rule fails the run, and is left as it was", () => {
  it("lock atomicity, where the locked account's city and address2 are null", async () => {
    const run = await broken("lock-not-atomic", (k) => empty(k, "lockedUser", ["city", "address2"]));
    expect(failedChecks(run, "lock-atomic")).toContain("nothing_changed");
  });

  it("a lock that only knows YYYY-MM-DD, passed by a dob sent as a date-time", async () => {
    const run = await broken("lock-bypassed-by-datetime-dob");
    expect(failedChecks(run, "lock-dob-date-time")).toContain("refused");
  });

  it("null for a field that is already null crashing the service", async () => {
    const run = await broken("null-on-null-crashes");
    expect(failedChecks(run, "null-for-empty-fields")).toContain("not_a_server_error");
  });

  it("a phone number written with spaces passing a uniqueness check that compares raw text", async () => {
    const run = await broken("phone-compared-raw");
    expect(failedChecks(run, "phone-in-use-other-format")).toContain("phone_not_shared");
  });

  it("another organization's user updated while the documented refusal is answered", async () => {
    const run = await broken("other-organization-refused-but-applied");
    expect(failedChecks(run, "user-not-in-organization")).toContain("nothing_changed");
  });

  it("OPEN cases locking (and ABANDONED ones)", async () => {
    expect(failedChecks(await broken("open-case-locks"), "open-abandoned-do-not-lock").length).toBeGreaterThan(0);
    expect(failedChecks(await broken("abandoned-case-locks"), "open-abandoned-do-not-lock").length).toBeGreaterThan(0);
  });

  it("phone numbers unique only inside the organization: a number of the other organization's user", async () => {
    const run = await broken("phone-unique-per-organization");
    expect(failedChecks(run, "phone-in-use-other-organization")).toContain("failure_status");
  });

  it("an update that clears every field it does not send: found by the canary first, put back, and the run writes nothing more (exit 1, not 2)", async () => {
    const run = await broken("clears-unsent-fields", () => ({ search: "date" }));
    expect(run.summary.stoppedWriting).toMatch(/fields_not_sent_unchanged|nothing_changed/);
    expect(run.summary.restoreFailures).toBe(0);
  });

  it.each<Break>(["user-missing-500", "user-missing-404", "user-missing-text-html"])(
    "the documented unknown-user failure in the page's envelope, %s: the contract's answer, exit 1 (not a setup mistake)",
    async (b) => {
      const run = await broken(b);
      expect(run.summary.fatal).toBeUndefined();
      expect(ran(run, "user-does-not-exist")!.status).toBe("failed");
    },
  );
});

describe("a command printed to put a profile back", () => {
  it("carries every original value, so that following it on a target that clears what it does not send clears nothing", () => {
    const contract = loadContract();
    const target = checkTarget({ accounts: { updatableUser: { email: "qa@acme.test" } } });
    const access = {
      transport: createTransport({ baseUrl: "https://api.acme.test", timeoutMs: 1000 }),
      key: { value: "k", reference: "$CV_API_KEY" },
      readMethod: "update" as const,
      target,
      observedLagMs: 0,
    };
    const snapshot = {
      email: "qa@acme.test",
      firstName: "Ann",
      lastName: "Lee",
      dob: "1990-01-02T00:00:00.000Z",
      gender: "FEMALE",
      address: "1 Main St",
      city: "Portland",
      state: "OR",
      country: "US",
      postalCode: "97201",
      phoneNumber: "+15035550100",
      address2: null,
    };
    const failed = restoreFailure(contract, access, "updatableUser", snapshot, ["city", "postalCode"], "could not restore");
    const body = JSON.parse(/--data-raw '(.*)'$/.exec(failed.commands![0]!)![1]!) as { data: Record<string, unknown> };
    expect(body.data).toEqual({
      email: "qa@acme.test",
      firstName: "Ann",
      lastName: "Lee",
      dob: "1990-01-02",
      gender: "FEMALE",
      phoneNumber: "+15035550100",
      address: "1 Main St",
      city: "Portland",
      state: "OR",
      country: "US",
      postalCode: "97201",
    });
  });
});
