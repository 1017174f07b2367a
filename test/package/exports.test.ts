// The public surface of the package, fixed so that any change to it is visible in review.
import { expect, it } from "vitest";

it("exports exactly these names", async () => {
  expect(Object.keys(await import("../../src/index.js")).sort()).toMatchInlineSnapshot(`
    [
      "ACCOUNT_ROLES",
      "DEFAULT_BODY_LIMIT",
      "DEFAULT_JOURNAL_SIZE",
      "DEFAULT_SCENARIOS_DIR",
      "FakeNetworkError",
      "FaultError",
      "MESSAGES",
      "MatcherError",
      "RULE_NAMES",
      "UPDATE_PROFILE_METHOD",
      "UPDATE_PROFILE_PATH",
      "VerificationError",
      "checkTarget",
      "createClient",
      "createConsoleReporter",
      "createFake",
      "createRedactor",
      "defaultFixtures",
      "failureKind",
      "loadContract",
      "loadScenarios",
      "loadTarget",
      "planScenarios",
      "runConformance",
      "startFakeServer",
      "withDefaultFixtures",
      "writeJsonReport",
      "writeJunitReport",
    ]
  `);
});

it("the client entry exports exactly these names", async () => {
  expect(Object.keys(await import("../../src/client/index.js")).sort()).toEqual(["MESSAGES", "createClient", "failureKind"]);
});

it("the msw entry exports exactly these names, and package.json maps it", async () => {
  expect(Object.keys(await import("../../src/msw/index.js")).sort()).toEqual(["handlers", "verify"]);
  const pkg = (await import("../../package.json", { with: { type: "json" } })).default as {
    exports: Record<string, unknown>;
    peerDependenciesMeta: Record<string, unknown>;
  };
  // Types for each import mode: a CommonJS project reads index.d.cts, so msw's types resolve as its own do.
  expect(pkg.exports["./msw"]).toEqual({
    import: { types: "./dist/msw/index.d.ts", default: "./dist/msw/index.js" },
    require: { types: "./dist/msw/index.d.cts", default: "./dist/msw/index.js" },
  });
  expect(pkg.peerDependenciesMeta.msw).toEqual({ optional: true });
});
