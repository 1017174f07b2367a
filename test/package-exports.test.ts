// The public surface of the package, fixed so that any change to it is visible in review.
import { expect, it } from "vitest";

it("exports exactly these names", async () => {
  expect(Object.keys(await import("../src/index.js")).sort()).toMatchInlineSnapshot(`
    [
      "ACCOUNT_ROLES",
      "DEFAULT_BODY_LIMIT",
      "DEFAULT_SCENARIOS_DIR",
      "MESSAGES",
      "RULE_NAMES",
      "UPDATE_PROFILE_METHOD",
      "UPDATE_PROFILE_PATH",
      "checkTarget",
      "createClient",
      "createConsoleReporter",
      "createRedactor",
      "failureKind",
      "loadContract",
      "loadScenarios",
      "loadTarget",
      "planScenarios",
      "runConformance",
      "startFakeServer",
      "writeJsonReport",
      "writeJunitReport",
    ]
  `);
});

it("the client entry exports exactly these names", async () => {
  expect(Object.keys(await import("../src/client/index.js")).sort()).toEqual(["MESSAGES", "createClient", "failureKind"]);
});
