// Writes docs/checks.md from the built registry and the scenario files (npm run docs:checks), or with --check
// fails when the file is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CHECKS } from "../dist/conformance/checks/registry.js";
import { renderChecksTable } from "../dist/conformance/checks/checks-table.js";
import { DEFAULT_SCENARIOS_DIR } from "../dist/conformance/run-conformance.js";
import { loadScenarios } from "../dist/conformance/scenario.js";

const file = fileURLToPath(new URL("../docs/checks.md", import.meta.url));
const text = renderChecksTable(CHECKS, loadScenarios(DEFAULT_SCENARIOS_DIR));
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(file, "utf8");
  } catch {
    // No file yet: stale as well.
  }
  if (current !== text) {
    console.error("docs/checks.md is stale: run `npm run docs:checks`.");
    process.exit(1);
  }
} else writeFileSync(file, text);
