// Finding 10 of issue 24: the HTML reports ran an inline script with no Content-Security-Policy. Every report now
// carries a CSP that allows exactly its own inline script and style, by their SHA-256 hashes, and nothing else.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { renderPage } from "../../src/conformance/reporters/html/page.js";

const html = renderPage({ title: "t", verdict: "pass", headline: "h", subtitle: [], counts: "", filters: "", body: "<p>x</p>" });
const sha = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

describe("the HTML reports' Content-Security-Policy", () => {
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];

  it("is in the head, before any script or style", () => {
    expect(csp).toBeDefined();
    expect(html.indexOf("Content-Security-Policy")).toBeLessThan(html.indexOf("<style>"));
  });

  it("allows the one inline script and style by hash, and nothing else", () => {
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    expect(styles).toHaveLength(1);
    const directives = Object.fromEntries(
      csp!
        .split(";")
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values]),
    );
    expect(directives["default-src"]).toEqual(["'none'"]);
    expect(directives["script-src"]).toEqual([sha(scripts[0]!)]);
    expect(directives["style-src"]).toEqual([sha(styles[0]!)]);
    expect(csp).not.toContain("unsafe-inline");
    expect(directives["base-uri"]).toEqual(["'none'"]);
    expect(directives["form-action"]).toEqual(["'none'"]);
  });
});
