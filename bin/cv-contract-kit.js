#!/usr/bin/env node
// The package's command. The TypeScript is compiled to dist/ when the package is packed (prepack: a tarball ships it),
// and in a clone by `npm run build`, `npm test` and `npm start`.
import { existsSync } from "node:fs";

const entry = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  console.error(
    "cv-contract-kit is not built: in a clone, run `npm run build` there. Installed from a git URL, it has no build " +
      "(it builds when packed, so installing runs no script): install a tarball made by `npm pack` instead.",
  );
  process.exit(2);
}
// `… | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
