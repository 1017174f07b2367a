// SLOW (about a minute alone; every step has a time cap): the kit as a user gets it. `npm pack` (whose
// prepack builds dist) in a copy of the source tree, so this test never rebuilds the dist other tests run; then the
// tarball installed into a fresh CommonJS TypeScript project and a fresh ESM one (`npm install <tarball>`, from
// npm's cache where it can), where the README's examples (the typed client from cv-contract-kit/client, createFake,
// MSW handlers from cv-contract-kit/msw) are type-checked with `module: nodenext` and run, and so is the bin. The
// tarball must install without running any script of the kit.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
const work = mkdtempSync(join(tmpdir(), "cv-package-install-"));
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  version: string;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

function run(command: string, args: string[], cwd: string, timeoutMs: number): { stdout: string; stderr: string } {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    timeout: timeoutMs,
    env: { ...process.env, npm_config_update_notifier: "false" },
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} (in ${cwd}) ended with ${result.status ?? result.signal}${result.error ? ` (${result.error.message})` : ""}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return { stdout: result.stdout, stderr: result.stderr };
}

let tarball: string;
let packed: { files: { path: string }[] };

beforeAll(() => {
  // The source tree a release is packed from, with this checkout's node_modules for the build's tools.
  const source = join(work, "source");
  mkdirSync(source);
  for (const entry of [
    "package.json",
    "tsconfig.json",
    "tsconfig.build.json",
    "redocly.yaml",
    "README.md",
    "LICENSE",
    "openapi.yaml",
    "src",
    "scripts",
    "bin",
    "conformance",
    "fixtures",
    "docs",
  ]) {
    if (existsSync(join(ROOT, entry))) cpSync(join(ROOT, entry), join(source, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(source, "node_modules"), "dir");
  const { stdout } = run("npm", ["pack", "--json", "--pack-destination", work], source, 120_000);
  [packed] = JSON.parse(stdout.slice(stdout.indexOf("["))) as [{ filename: string; files: { path: string }[] }];
  tarball = join(work, (packed as unknown as { filename: string }).filename);
}, 130_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the packed tarball", () => {
  it("holds the build, the LICENSE and the README's images, and runs no script when installed", () => {
    const paths = packed.files.map((f) => f.path);
    for (const path of [
      "dist/index.js",
      "dist/index.d.ts",
      "dist/client/index.d.ts",
      "dist/msw/index.d.ts",
      "dist/msw/index.d.cts",
      "bin/cv-contract-kit.js",
      "LICENSE",
      "docs/screenshots/root-page.png",
      "openapi.yaml",
    ]) {
      expect(paths, path).toContain(path);
    }
    expect(paths.filter((p) => /^(src|test|scripts)\//.test(p))).toEqual([]);
    for (const hook of ["preinstall", "install", "postinstall", "prepare"]) expect(pkg.scripts, hook).not.toHaveProperty(hook);
    expect(pkg.scripts.prepack).toMatch(/build/);
  });
});

/** The README's examples, as one program: the typed client over createFake's fetch, then MSW handlers over a fake. */
const EXAMPLE = `import { setupServer } from "msw/node";
import { createFake } from "cv-contract-kit";
import { createClient, failureKind, MESSAGES } from "cv-contract-kit/client";
import { handlers } from "cv-contract-kit/msw";

const KEY_A = "cvk_test_clinic_a_4f1c2d9e";

async function main(): Promise<void> {
  const fake = createFake();
  const client = createClient({ baseUrl: "http://fake", apiKey: KEY_A, fetch: fake.fetch });
  const updated = await client.updateUserProfile({ email: "ana.free@clinic-a.test", city: "Boston" });
  if (updated.error || updated.data?.data.user.city !== "Boston") throw new Error(\`client: \${JSON.stringify(updated.error)}\`);
  const locked = await client.updateUserProfile({ email: "ben.locked@clinic-a.test", firstName: "Benjamin" });
  const kind: string = failureKind(locked.error);
  if (kind !== "demographicFieldsLocked") throw new Error(\`client: \${kind}\`);
  console.log(\`client: \${updated.response.status}, then \${kind} (\${MESSAGES.demographicFieldsLocked.template.slice(0, 28)}…)\`);

  const mswFake = createFake();
  const server = setupServer(...handlers(mswFake, { baseUrl: "https://api.carevalidate.com" }));
  server.listen({ onUnhandledRequest: "error" });
  try {
    const answer = await fetch("https://api.carevalidate.com/api/v1/users", {
      method: "POST",
      headers: { "cv-api-key": KEY_A, "content-type": "application/json" },
      body: JSON.stringify({ action: "UPDATE_PROFILE", data: { email: "ana.free@clinic-a.test", city: "Denver" } }),
    });
    const body = (await answer.json()) as { data?: { user?: { city?: string } } };
    console.log(\`msw: \${answer.status} \${body.data?.user?.city}, \${mswFake.requests().length} request in the journal\`);
  } finally {
    server.close();
    await mswFake.close();
    await fake.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
`;

describe.each([
  { kind: "CommonJS", type: "commonjs", file: "example.ts", out: "example.js" },
  { kind: "ESM", type: "module", file: "example.ts", out: "example.js" },
])("installed into a fresh $kind TypeScript project", ({ type, file, out }) => {
  let project: string;
  let installed: { stdout: string; stderr: string };

  beforeAll(() => {
    project = join(work, type);
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), `${JSON.stringify({ name: `consumer-${type}`, version: "1.0.0", private: true, type }, null, 2)}\n`);
    // What `tsc --init` gives, with Node's own module system.
    writeFileSync(
      join(project, "tsconfig.json"),
      `${JSON.stringify({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", strict: true, esModuleInterop: true, skipLibCheck: true, outDir: "out" }, include: [file] }, null, 2)}\n`,
    );
    writeFileSync(join(project, file), EXAMPLE);
    installed = run(
      "npm",
      [
        "install",
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        tarball,
        `msw@${pkg.devDependencies.msw}`,
        `@types/node@${pkg.devDependencies["@types/node"]}`,
      ],
      project,
      90_000,
    );
  }, 100_000);

  it("installs without a script of the kit to review", () => {
    expect(existsSync(join(project, "node_modules/cv-contract-kit/dist/index.js"))).toBe(true);
    expect(`${installed.stdout}\n${installed.stderr}`).not.toMatch(/cv-contract-kit@[\d.]+ \(/);
  });

  it("type-checks the client, createFake and MSW examples (module: nodenext), and runs them", () => {
    run(process.execPath, [TSC, "-p", "tsconfig.json"], project, 60_000);
    const { stdout } = run(process.execPath, [join("out", out)], project, 30_000);
    expect(stdout).toContain("client: 200, then demographicFieldsLocked");
    expect(stdout).toContain("msw: 200 Denver, 1 request in the journal");
  });

  it("runs the CLI from the package's bin", () => {
    const { stdout } = run(join(project, "node_modules/.bin/cv-contract-kit"), ["--version"], project, 30_000);
    expect(stdout.trim()).toContain(pkg.version);
  });
});
