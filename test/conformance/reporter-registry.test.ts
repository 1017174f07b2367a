// The reporters' registries: each report flag of conform and drift comes from its reporter's entry, and only the
// reporters whose flag is given are created, each with the run's redaction.
import { describe, expect, it } from "vitest";
import { CONFORM_OPTIONS } from "../../src/cli/conform.js";
import { DRIFT_OPTIONS } from "../../src/cli/drift.js";
import { reporterOptions } from "../../src/cli/reporter-options.js";
import { activeReporters, defineReporter } from "../../src/conformance/reporters/define-reporter.js";
import { CONFORMANCE_REPORTERS, DRIFT_REPORTERS } from "../../src/conformance/reporters/registry.js";

describe("the reporters' registries", () => {
  it.each([
    ["conform", CONFORMANCE_REPORTERS, CONFORM_OPTIONS],
    ["drift", DRIFT_REPORTERS, DRIFT_OPTIONS],
  ] as const)("%s takes --<flag> <file> for each of its reporters, with the reporter's help", (_, reporters, options) => {
    expect(reporters.length).toBeGreaterThan(0);
    for (const reporter of reporters)
      expect(options[reporter.flag as keyof typeof options]).toMatchObject({ type: "string", value: "<file>", help: reporter.help });
  });

  it("creates only the reporters whose flag was given, and hands them the run's redaction and events", () => {
    const made: string[] = [];
    const seen: string[] = [];
    const a = defineReporter<string, "a">({
      flag: "a",
      help: "A",
      create: (file, { redact }) => (
        made.push(file),
        { onEvent: (event) => seen.push(redact(event.type)), finish: (r) => seen.push(`${file}:${r}`) }
      ),
    });
    const b = defineReporter<string, "b">({ flag: "b", help: "B", create: (file) => (made.push(file), {}) });
    const active = activeReporters([a, b], { a: "out.a", verbose: true }, { redact: (t) => t.toUpperCase(), verbose: true });
    expect(made).toEqual(["out.a"]);
    active[0]!.onEvent!({ type: "runStarted" } as never);
    active[0]!.finish!("done");
    expect(seen).toEqual(["RUNSTARTED", "out.a:done"]);
    expect(reporterOptions([a, b], "Reports:")).toEqual({
      a: { type: "string", value: "<file>", help: "A", section: "Reports:" },
      b: { type: "string", value: "<file>", help: "B", section: "Reports:" },
    });
  });
});
