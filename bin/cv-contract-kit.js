#!/usr/bin/env node
// The package's command. The TypeScript is compiled to dist/ by `npm ci` (prepare) and `npm start` (prestart).
import { existsSync } from "node:fs";

const entry = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  console.error("cv-contract-kit is not built yet: run `npm run build` in the package folder, then try again.");
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
