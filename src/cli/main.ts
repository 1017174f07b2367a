/**
 * @module cli/main
 * `cv-contract-kit <command>`: serve (the fake server), conform (the conformance suite), drift, or proxy.
 */
import { packageVersion } from "../package-version.js";
import { didYouMean } from "../conformance/suggest.js";

const HELP = `Usage: cv-contract-kit <command> [options]

Commands:
  serve     Start the fake CareValidate server (default http://127.0.0.1:4010)
  conform   Run the conformance suite against any base URL
  drift     Run the scenarios against two targets (the fake and a deployment) and list where they differ
  proxy     Forward to a deployment, check every exchange against openapi.yaml, print each contract break

Run \`cv-contract-kit <command> --help\` for the options of a command; \`cv-contract-kit --version\` for the version.`;

/** Runs one command and resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    // Each command loads only its own modules: the fake starts faster without the conformance runner.
    case "serve":
      return (await import("./serve.js")).serveCommand(rest);
    case "conform":
      return (await import("./conform.js")).conformCommand(rest);
    case "drift":
      return (await import("./drift.js")).driftCommand(rest);
    case "proxy":
      return (await import("./proxy.js")).proxyCommand(rest);
    case "--version":
    case "-v":
    case "version":
      console.log(packageVersion());
      return 0;
    case undefined:
    case "-h":
    case "--help":
    case "help":
      console.log(HELP);
      return 0;
    default:
      console.error(`Unknown command "${command}"${didYouMean(command, ["serve", "conform", "drift", "proxy"])}.\n\n${HELP}`);
      return 2;
  }
}
