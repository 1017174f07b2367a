// Findings 9 and 11 of issue 24: --html, --json and --junit wrote through a symbolic link (overwriting whatever it
// pointed to), and a base URL with credentials (http://admin:pw@host) was printed in every report. Reports now go
// through a temp file and a rename that replaces the link; a base URL with credentials is refused with exit 2.
import { lstatSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { conformCommand } from "../../src/cli/conform.js";
import { driftCommand } from "../../src/cli/drift.js";
import { renderConformanceHtml } from "../../src/conformance/reporters/html/conformance-html.js";
import { writeHtmlReport } from "../../src/conformance/reporters/html/write-html.js";
import { writeJsonReport } from "../../src/conformance/reporters/json-reporter.js";
import { writeJunitReport } from "../../src/conformance/reporters/junit-reporter.js";
import { summaryOfFailedStart } from "../../src/conformance/results.js";

const same = (t: string) => t;

describe("reports never write through a link", () => {
  const summary = summaryOfFailedStart("http://127.0.0.1:1", ["a problem"]);
  it.each([
    ["--json", (path: string) => writeJsonReport(path, summary, same)],
    ["--html", (path: string) => writeHtmlReport(path, renderConformanceHtml(summary, same), same)],
    ["--junit", (path: string) => writeJunitReport(path, summary, same)],
  ])("%s replaces a link planted at its path, and leaves the file it pointed to alone", (_, write) => {
    const dir = mkdtempSync(join(tmpdir(), "cv-sec-link-"));
    const victim = join(dir, "victim.txt");
    writeFileSync(victim, "precious\n");
    const report = join(dir, "report.out");
    symlinkSync(victim, report);
    write(report);
    expect(readFileSync(victim, "utf8")).toBe("precious\n");
    expect(lstatSync(report).isSymbolicLink()).toBe(false);
    expect(readFileSync(report, "utf8")).toContain("a problem");
  });
});

describe("a base URL with credentials", () => {
  it("conform refuses it with exit 2, and no output or report holds them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cv-sec-cred-"));
    const lines: string[] = [];
    const json = join(dir, "c.json");
    const code = await conformCommand(
      ["--base-url", "http://admin:s3cr3tpw@127.0.0.1:9", "--api-key", "cvk_test_clinic_a_4f1c2d9e", "--json", json],
      (l) => lines.push(l),
      (l) => lines.push(l),
    );
    expect(code).toBe(2);
    const output = lines.join("\n");
    expect(output).toContain("--base-url carries credentials");
    for (const text of [output, readFileSync(json, "utf8")]) {
      expect(text).not.toContain("s3cr3tpw");
      expect(text).not.toContain("admin:");
    }
    expect(readFileSync(json, "utf8")).toContain("http://127.0.0.1:9");
  });

  it("drift refuses it for either side with exit 2, without printing them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cv-sec-cred-"));
    const target = join(dir, "b.yaml");
    writeFileSync(target, "accounts: {}\n");
    const lines: string[] = [];
    const code = await driftCommand(
      ["--b-target", target, "--b-base-url", "https://qa:hunter2pw@staging.example.test", "--b-api-key", "k_123456789"],
      (l) => lines.push(l),
      (l) => lines.push(l),
    );
    expect(code).toBe(2);
    expect(lines.join("\n")).toContain("--b-base-url carries credentials");
    expect(lines.join("\n")).not.toContain("hunter2pw");
  });
});
