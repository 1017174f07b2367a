// Tests that start the built CLI need dist/. `npm test` builds first; a test file run alone on a fresh clone (after
// `npm ci`, which builds nothing now that the build runs in prepack) gets the build here, once, when it is missing.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  if (existsSync(`${root}dist/cli/main.js`)) return;
  console.log("dist/ is missing: building it (npm run build) before the tests…");
  const build = spawnSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) throw new Error(`npm run build failed (${build.status ?? build.signal}): the tests that start the CLI need dist/.`);
}
