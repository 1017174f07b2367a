/**
 * @module cli/options-table
 * One table of options per command, from which its parsing (node:util parseArgs reads the same entries), its
 * `--help` and its synopsis in README.md and docs/ come (test/cli/synopsis.test.ts compares them). A new flag is one
 * entry here plus its use in the command.
 */
import { parseArgs } from "node:util";
import { hideValues } from "./parse-options.js";

export interface CommandOption {
  type: "string" | "boolean";
  /** How the help and the synopsis name the value: "<url>", "<ms>". Required for a string option. */
  value?: string;
  short?: string;
  multiple?: boolean;
  /** What it does, its environment variable and its default; "\n" starts a continuation line. */
  help: string;
  /** A heading the help groups options under (drift's "Side A"): a new heading starts where it changes. */
  section?: string;
  /** Left out of the synopsis (help is the exception: the synopsis would only grow). */
  hiddenInSynopsis?: boolean;
}

export type OptionsTable = Readonly<Record<string, CommandOption>>;

/** Keeps the table's literal types, so parseArgs types each flag it returns from the table. */
export function defineOptions<const T extends Record<string, CommandOption>>(table: T): T {
  for (const [name, option] of Object.entries(table)) {
    if (option.type === "string" && !option.value) throw new Error(`the option --${name} takes a value: give it one to show, e.g. value: "<file>"`);
  }
  return table;
}

/** The flag as help and synopsis write it: "--base-url <url>", "-h, --help". */
function flagText(name: string, option: CommandOption): string {
  return `${option.short ? `-${option.short}, ` : ""}--${name}${option.value ? ` ${option.value}` : ""}`;
}

/** The options part of `--help`: one line per flag, help at one column, continuation lines under it. */
export function optionsHelp(table: OptionsTable, heading = "Options:"): string {
  const entries = Object.entries(table);
  const column = Math.min(26, Math.max(...entries.map(([name, option]) => flagText(name, option).length + 4)));
  const lines: string[] = [];
  let section: string | undefined;
  for (const [index, [name, option]] of entries.entries()) {
    if (index === 0 || option.section !== section) {
      section = option.section;
      lines.push(section ?? heading);
    }
    const flag = `  ${flagText(name, option)}`;
    const [first, ...rest] = option.help.split("\n");
    lines.push(`${flag.length + 1 < column ? flag.padEnd(column - 1) : `${flag}  `}${first}`);
    for (const more of rest) lines.push(`${" ".repeat(column - 1)}${more}`);
  }
  return lines.join("\n");
}

/** `cv-contract-kit conform [--base-url <url>] …`, wrapped at `width` with continuation lines under the first flag. */
export function synopsis(command: string, table: OptionsTable, width = 116): string {
  const head = `cv-contract-kit ${command} `;
  const parts = Object.entries(table)
    .filter(([, option]) => !option.hiddenInSynopsis)
    .map(([name, option]) => `[${flagText(name, option)}]`);
  const lines: string[] = [];
  let line = head;
  for (const part of parts) {
    if (line.length > head.length && line.length + 1 + part.length > width) {
      lines.push(line.trimEnd());
      line = " ".repeat(head.length);
    }
    line += line.endsWith(" ") ? part : ` ${part}`;
  }
  lines.push(line.trimEnd());
  return lines.join("\n");
}

/** The same options under another heading of the help (drift lists the shared ones under "Both:"). */
export function inSection<const T extends Record<string, CommandOption>>(table: T, section: string): T {
  return Object.fromEntries(Object.entries(table).map(([name, option]) => [name, { ...option, section }])) as T;
}

/** What parseArgs makes of a table's flags, typed by the table. */
export type ParsedOptions<T extends Record<string, CommandOption>> = ReturnType<typeof parseArgs<{ args: string[]; options: T }>>["values"];

/**
 * Parses a command's flags by its table: `{ flags }`, or `{ exit }` once it has answered (its help, exit 0; a flag it
 * does not know or a value missing, one line on err naming the command's --help, exit 2).
 */
export function parseCommandLine<const T extends Record<string, CommandOption>>(
  command: string,
  argv: readonly string[],
  table: T,
  help: string,
  out: (line: string) => void,
  err: (line: string) => void,
): { flags: ParsedOptions<T> } | { exit: number } {
  let flags: ParsedOptions<T>;
  try {
    flags = parseArgs({ args: [...argv], options: table }).values;
  } catch (error) {
    err(`cv-contract-kit ${command}: ${hideValues((error as Error).message)}. Run \`cv-contract-kit ${command} --help\` for the options.`);
    return { exit: 2 };
  }
  if ((flags as { help?: boolean }).help) {
    out(help);
    return { exit: 0 };
  }
  return { flags };
}
