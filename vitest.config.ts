import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    globalSetup: ["test/support/global-build.ts"],
    hookTimeout: 30_000,
    // Every answer of every fake the tests start (in this process or as a child) is held against openapi.yaml.
    env: { CV_FAKE_CHECK_ANSWERS: "1" },
    // A JSON report of every run; .ci/run names one per pass (--outputFile) and sums them for its last line.
    reporters: ["default", "json"],
    outputFile: { json: "reports/vitest.json" },
  },
});
