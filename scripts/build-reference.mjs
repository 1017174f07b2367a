// Build step: the API reference, built from openapi.yaml by Redocly's `build-docs` (Redoc 3), written to
// dist/reference/index.html. The fake serves it at /__docs. It must read with no network at all:
// - `--inlineBundle` puts Redoc's script in the file instead of loading it from cdn.redocly.com;
// - REDOCLY_TELEMETRY=off builds the page with Redoc's telemetry disabled (it would otherwise send events from the
//   reader's browser);
// - Redoc 3.0.1 shows its logo from cdn.redoc.ly (no option turns it off): both addresses are replaced by an inline
//   image. Should a Redoc upgrade load anything else, the fake's Content-Security-Policy blocks it, and the browser
//   test, which fails on any request that leaves 127.0.0.1, says what.
// Skipped when openapi.yaml, redocly.yaml, Redocly's version and this script are unchanged since the last build.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = new URL("..", import.meta.url);
const outDir = new URL("dist/reference/", root);
const out = new URL("index.html", outDir);
const stampFile = new URL("build-stamp", outDir);

const require = createRequire(import.meta.url);
let cliDir;
try {
  cliDir = new URL(".", `file://${require.resolve("@redocly/cli/package.json")}`);
} catch {
  console.error("build-reference: @redocly/cli is not installed (a devDependency): run npm ci.");
  process.exit(1);
}
const cliVersion = JSON.parse(readFileSync(new URL("package.json", cliDir), "utf8")).version;

const stamp = createHash("sha256")
  .update(cliVersion)
  .update(readFileSync(new URL("openapi.yaml", root)))
  .update(readFileSync(new URL("redocly.yaml", root)))
  .update(readFileSync(new URL(import.meta.url)))
  .digest("hex");
if (readOr(stampFile, "") === stamp && existsSync(out)) process.exit(0);

const started = performance.now();
mkdirSync(outDir, { recursive: true });
const tmp = new URL(`index.html.${process.pid}.tmp`, outDir);
const run = spawnSync(
  process.execPath,
  [fileURLToPath(new URL("bin/cli.js", cliDir)), "build-docs", "openapi.yaml", "--inlineBundle", "--output", fileURLToPath(tmp)],
  { cwd: fileURLToPath(root), env: { ...process.env, REDOCLY_TELEMETRY: "off" }, encoding: "utf8" },
);
if (run.status !== 0) {
  rmSync(tmp, { force: true });
  console.error(`build-reference: redocly build-docs failed (exit ${run.status}):\n${run.stderr}${run.stdout}`);
  process.exit(1);
}

let html = readFileSync(tmp, "utf8");
rmSync(tmp);
const problems = [];
if (!html.includes('"disableTelemetry":true')) problems.push("Redoc's telemetry is not disabled in the page options");
// Anything an element loads by itself (script, stylesheet, preload, image, frame) must be inline.
for (const [tag] of html.matchAll(/<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\/[^>]*>/gi)) {
  problems.push(`it loads from the network: ${tag.slice(0, 200)}`);
}
// Redoc's logo (an <img> made by the script): the word "Redoc", drawn inline.
const LOGO = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="16" viewBox="0 0 64 16"><text x="0" y="13" font-family="system-ui,sans-serif" font-size="13" font-weight="600" fill="#0044d4">Redoc</text></svg>',
)}`;
for (const remote of ["https://cdn.redoc.ly/redoc/logo-mini-full.svg", "https://cdn.redoc.ly/redoc/logo-mini.svg"]) {
  html = html.replaceAll(remote, LOGO);
}
if (problems.length > 0) {
  console.error(`build-reference: the API reference would not read offline:\n- ${problems.join("\n- ")}`);
  process.exit(1);
}

writeFileSync(tmp, html);
renameSync(tmp, out);
writeFileSync(stampFile, stamp);
console.log(
  `API reference: dist/reference/index.html (${Math.round(html.length / 1024)} KiB, ${((performance.now() - started) / 1000).toFixed(1)} s)`,
);

function readOr(url, fallback) {
  try {
    return readFileSync(url, "utf8");
  } catch {
    return fallback;
  }
}
