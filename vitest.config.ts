import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Every answer of every fake the tests start (in this process or as a child) is held against openapi.yaml.
    env: { CV_FAKE_CHECK_ANSWERS: "1" },
    // The JSON report gives .ci/run its closing "N passed, M failed" line.
    reporters: ["default", "json"],
    outputFile: { json: "reports/vitest.json" },
  },
});
