#!/usr/bin/env node
// The package's command. The TypeScript is compiled to dist/ by `npm ci` (prepare) and `npm start` (prestart).
import { existsSync } from "node:fs";

const entry = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  console.error("cv-contract-kit is not built yet: run `npm run build` in the package folder, then try again.");
  process.exit(2);
}
// `… | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
