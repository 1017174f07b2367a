import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The JSON report gives .ci/run its closing "N passed, M failed" line.
    reporters: ["default", "json"],
    outputFile: { json: "reports/vitest.json" },
  },
});
