// A real headless Chromium for tests of what a person sees, driven by playwright-core. It is the one `npm ci` brings:
// the devDependency @sparticuz/chromium ships its binary inside the package, so a fresh machine needs no system
// browser and no apt. CHROMIUM_PATH, when set, names another Chromium explicitly; nothing else is looked for.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import sparticuz from "@sparticuz/chromium";
import { chromium, type Browser } from "playwright-core";

/** Which Chromium the tests launch, and where it is; printed once per test file so a run says which one ran. */
export interface ChromiumChoice {
  source: "CHROMIUM_PATH" | "@sparticuz/chromium";
  executablePath: string;
  args: string[];
}

// Flags every launch gets: stay off the network (the tests run with none) and skip first-run work.
const QUIET_FLAGS = ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"];

const NODE_MODULES = fileURLToPath(new URL("../../node_modules/", import.meta.url));
const sparticuzVersion = (JSON.parse(readFileSync(join(NODE_MODULES, "@sparticuz/chromium/package.json"), "utf8")) as { version: string }).version;
/** The unpacked browser, kept in node_modules/.cache so one unpack serves every later run of this checkout. */
const UNPACKED = join(NODE_MODULES, ".cache", `cv-chromium-${sparticuzVersion}`);

/**
 * Unpacks @sparticuz/chromium's brotli files into UNPACKED, once. The package itself unpacks into os.tmpdir() and
 * takes a half-written /tmp/chromium (another worker's, or a killed run's) for a finished one; here each unpack goes
 * to a folder of its own and is renamed into place whole, so parallel test files and earlier crashes cannot hand
 * anyone a partial binary.
 */
async function unpackSparticuz(): Promise<string> {
  const binary = join(UNPACKED, "chromium");
  if (existsSync(binary)) return binary;
  mkdirSync(dirname(UNPACKED), { recursive: true });
  const staging = mkdtempSync(`${UNPACKED}.partial-`);
  const previousTmp = process.env.TMPDIR;
  let unpacked: Promise<string>;
  try {
    // The package reads os.tmpdir() (which follows TMPDIR) synchronously, before its first await: point it at the
    // staging folder for exactly that long.
    process.env.TMPDIR = staging;
    unpacked = sparticuz.executablePath();
  } finally {
    if (previousTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmp;
  }
  try {
    const staged = await unpacked;
    if (staged !== join(staging, "chromium")) throw new Error(`@sparticuz/chromium unpacked to ${staged}, not into ${staging}`);
    try {
      renameSync(staging, UNPACKED);
    } catch (error) {
      // Another worker finished first: its copy is whole, use it.
      if (!existsSync(binary)) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

export async function chooseChromium(): Promise<ChromiumChoice> {
  const explicit = process.env.CHROMIUM_PATH;
  if (explicit) {
    if (!existsSync(explicit))
      throw new Error(`CHROMIUM_PATH is ${explicit}, which does not exist: unset it to use the Chromium that npm ci installs (@sparticuz/chromium).`);
    return { source: "CHROMIUM_PATH", executablePath: explicit, args: ["--no-sandbox", "--disable-gpu", ...QUIET_FLAGS] };
  }
  // The package's flags include --headless='shell' and --single-process, which it needs; playwright adds --headless too.
  return { source: "@sparticuz/chromium", executablePath: await unpackSparticuz(), args: [...sparticuz.args, ...QUIET_FLAGS] };
}

export async function launchBrowser(): Promise<Browser> {
  const choice = await chooseChromium();
  console.log(`browser tests: Chromium from ${choice.source} (${choice.executablePath})`);
  return chromium.launch({ executablePath: choice.executablePath, args: choice.args });
}
