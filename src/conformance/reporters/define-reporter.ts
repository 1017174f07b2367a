/**
 * @module conformance/reporters/define-reporter
 * A reporter is one registered entry (src/conformance/reporters/registry.ts): the flag that turns it on (which
 * comes into the command's options table, its --help and its synopsis from here), and what it does: listen to the
 * run's events as they happen, write its file when the run is over (or could not start), or both. The console
 * reporter has the same shape, with no flag: it is always on.
 */
import type { Redact } from "../redact.js";
import type { ConformanceEvent } from "../results.js";

export interface ReporterContext {
  redact: Redact;
  /** --verbose: keep every exchange, show every note. */
  verbose: boolean;
}

/** One run's reporter: `onEvent` as the run goes, `finish` once with its result. */
export interface Reporter<Result> {
  onEvent?(event: ConformanceEvent): void;
  finish?(result: Result): void;
}

export interface ReporterSpec<Result, Flag extends string = string> {
  /** The command-line flag, without its dashes ("junit"); it takes the file to write. */
  flag: Flag;
  /** The flag's line of --help. */
  help: string;
  create(file: string, context: ReporterContext): Reporter<Result>;
}

export function defineReporter<Result, const Flag extends string>(spec: ReporterSpec<Result, Flag>): ReporterSpec<Result, Flag> {
  return spec;
}

/** The reporters whose flag was given, created for this run. */
export function activeReporters<Result>(
  reporters: readonly ReporterSpec<Result>[],
  flags: Readonly<Record<string, unknown>>,
  context: ReporterContext,
): Reporter<Result>[] {
  return reporters.flatMap((r) => (typeof flags[r.flag] === "string" ? [r.create(flags[r.flag] as string, context)] : []));
}
