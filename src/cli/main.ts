/**
 * @module cli/main
 * `cv-contract-kit <command>`: serve (the fake server) or conform (the conformance suite).
 */

const HELP = `Usage: cv-contract-kit <command> [options]

Commands:
  serve     Start the fake CareValidate server (default http://127.0.0.1:4010)
  conform   Run the conformance suite against any base URL
  drift     Run the scenarios against two targets (the fake and a deployment) and list where they differ

Run \`cv-contract-kit <command> --help\` for the options of a command.`;

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
