// Each command's options table (src/cli/options-table.ts) is where its parsing, its --help and its synopsis in
// README.md and docs/ come from: the documents are held to it here, so a flag added to a table and not to the
// synopsis fails this test with the synopsis to paste.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { conformCommand, CONFORM_OPTIONS } from "../../src/cli/conform.js";
import { driftCommand, DRIFT_OPTIONS } from "../../src/cli/drift.js";
import { proxyCommand, PROXY_OPTIONS } from "../../src/cli/proxy.js";
import { SERVE_OPTIONS } from "../../src/cli/serve.js";
import { defineOptions, optionsHelp, synopsis, type OptionsTable } from "../../src/cli/options-table.js";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const COMMANDS: [string, OptionsTable, string][] = [
  ["serve", SERVE_OPTIONS, "docs/fake.md"],
  ["conform", CONFORM_OPTIONS, "docs/conformance.md"],
  ["drift", DRIFT_OPTIONS, "docs/drift-and-align.md"],
  ["proxy", PROXY_OPTIONS, "docs/proxy.md"],
];

describe("the synopsis of each command, in README.md and its page of docs/", () => {
  it.each(COMMANDS)("%s: README.md and its page show the synopsis its options table gives", (command, table, page) => {
    const expected = synopsis(command, table);
    expect(read("README.md"), `README.md's Commands block should hold:\n${expected}`).toContain(expected);
    expect(read(page), `${page} should hold:\n${expected}`).toContain(expected);
  });

  it.each(COMMANDS)("%s: every flag of its table is in the synopsis but --help", (command, table) => {
    const text = synopsis(command, table);
    for (const name of Object.keys(table)) {
      if (name === "help") expect(text).not.toContain("--help");
      else expect(text).toMatch(new RegExp(`\\[--${name}[ \\]]`));
    }
  });
});

describe("--help comes from the same table", () => {
  it.each([
    ["conform", conformCommand, CONFORM_OPTIONS],
    ["drift", driftCommand, DRIFT_OPTIONS],
    ["proxy", (argv: readonly string[], out: (line: string) => void, err: (line: string) => void) => proxyCommand(argv, { out, err }), PROXY_OPTIONS],
  ] as const)("%s --help lists each flag of its table, with its words, and exits 0", async (_, run, table) => {
    const out: string[] = [];
    expect(
      await run(
        ["--help"],
        (line) => out.push(line),
        () => {},
      ),
    ).toBe(0);
    for (const [name, option] of Object.entries(table)) {
      expect(out.join("\n")).toContain(`--${name}`);
      expect(out.join("\n")).toContain(option.help.split("\n")[0]);
    }
  });

  it("a flag the table does not have is one line naming the command's --help, exit 2", async () => {
    const err: string[] = [];
    expect(
      await conformCommand(
        ["--colour"],
        () => {},
        (line) => err.push(line),
      ),
    ).toBe(2);
    expect(err).toEqual(["cv-contract-kit conform: Unknown option '--colour'. Run `cv-contract-kit conform --help` for the options."]);
  });

  it("lines up the words at one column, continuation lines under them, a long flag two spaces before its words", () => {
    const table = defineOptions({
      port: { type: "string", value: "<n>", help: "Port\nsecond line" },
      "a-very-long-flag-name": { type: "string", value: "<value>", help: "Long" },
      quiet: { type: "boolean", short: "q", help: "Less", section: "Output:" },
    });
    expect(optionsHelp(table).split("\n")).toEqual([
      "Options:",
      "  --port <n>             Port",
      "                         second line",
      "  --a-very-long-flag-name <value>  Long",
      "Output:",
      "  -q, --quiet            Less",
    ]);
    expect(synopsis("x", table, 40).split("\n")).toEqual([
      "cv-contract-kit x [--port <n>]",
      "                  [--a-very-long-flag-name <value>]",
      "                  [-q, --quiet]",
    ]);
  });

  it("refuses a string option with no value to show", () => {
    expect(() => defineOptions({ target: { type: "string", help: "Target" } })).toThrow(/--target takes a value: give it one to show/);
  });
});
