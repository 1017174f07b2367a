// Scenario files are checked when loaded: a mistake stops the run with the file and what to fix.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenarios, DEFAULT_SCENARIOS_DIR } from "../../src/index.js";

function folderWith(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "cv-scen-"));
  writeFileSync(join(dir, "s.yaml"), yaml);
  return dir;
}

const valid = `id: x
title: t
tier: documented
source: s
steps:
  - send: { data: { email: a@b.test } }
    expect: { status: 200 }
`;

describe("scenario files", () => {
  it("load, with every built-in scenario naming its source and tier", () => {
    const scenarios = loadScenarios(DEFAULT_SCENARIOS_DIR);
    expect(scenarios.length).toBeGreaterThan(40);
    for (const s of scenarios) {
      expect(s.source.length, s.id).toBeGreaterThan(10);
      expect(["documented", "inferred"]).toContain(s.tier);
    }
  });

  it("accept a minimal scenario", () => {
    expect(loadScenarios(folderWith(valid))).toHaveLength(1);
  });

  it.each([
    ["a misspelt expect key", valid.replace("status: 200", "stauts: 200"), /s\.yaml: unknown key steps\[0\]\.expect\.stauts/],
    [
      "a misspelt step key",
      valid.replace("    expect:", "    expcet:"),
      /s\.yaml: unknown key steps\[0\]\.expcet \(did you mean expect\?\) \(steps\[0\] has send, read, expect\)/,
    ],
    ["a misspelt scenario key", valid.replace("tier:", "teir:"), /unknown key teir \(did you mean tier\?\) \(a scenario has id, title, tier/],
    ["an extra scenario key", `${valid}guards: [x]\n`, /unknown key guards/],
    ["a bad tier", valid.replace("documented", "guessed"), /s\.yaml: tier must be documented or inferred \(received "guessed"\)/],
    ["no steps", valid.replace(/steps:[\s\S]*/, "steps: []\n"), /s\.yaml: steps must not be empty/],
    ["invalid YAML", "id: [", /Failed to parse .*s\.yaml/],
    [
      "a duplicate id",
      `scenarios:\n  - ${valid.replace(/\n/g, "\n    ").trim()}\n  - ${valid.replace(/\n/g, "\n    ").trim()}\n`,
      /Scenario id "x" is used twice/,
    ],
  ])("refuse %s, naming the file", (_, yaml, message) => {
    expect(() => loadScenarios(folderWith(yaml))).toThrow(message);
  });
});
