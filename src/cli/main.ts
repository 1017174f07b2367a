/**
 * @module cli/main
 * `cv-contract-kit <command>`: serve (the fake server) or conform (the conformance suite).
 */
import { conformCommand } from "./conform.js";
import { serveCommand } from "./serve.js";

const HELP = `Usage: cv-contract-kit <command> [options]

Commands:
  serve     Start the fake CareValidate server (default http://127.0.0.1:4010)
  conform   Run the conformance suite against any base URL

Run \`cv-contract-kit <command> --help\` for the options of a command.`;

/** Runs one command and resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "serve":
      return serveCommand(rest);
    case "conform":
      return conformCommand(rest);
    case undefined:
    case "-h":
    case "--help":
    case "help":
      console.log(HELP);
      return 0;
    default:
      console.error(`Unknown command "${command}".\n\n${HELP}`);
      return 2;
  }
}
