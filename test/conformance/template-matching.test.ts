// Finding 5 of issue 24: template matching was quadratic. A message of "Method " + " is not allowed on " × 50,000
// blocked failureKind (in the browser-safe client) for 23 s, and made conform's method-put take 29 s and then
// report a false RESTORE FAILED. Matching is now by literal parts, linear in the message, with a length cap.
import { describe, expect, it } from "vitest";
import { failureKind } from "../../src/client/failure-kind.js";
import { MAX_MATCHED_MESSAGE, matchesTemplate } from "../../src/contract/messages.js";
import { fitsTemplate } from "../../src/conformance/drift/compare-runs.js";
import { conform } from "../support/conform-run.js";
import { useForeignDeployments } from "../support/use-foreign.js";

const HOSTILE = `Method ${" is not allowed on ".repeat(50_000)}x`;

describe("template matching, linear in the message", () => {
  it("failureKind answers the hostile message at once, and still tells messages apart", () => {
    const started = performance.now();
    expect(failureKind({ message: HOSTILE })).toBe("unknown"); // over the cap
    expect(failureKind({ message: `Method ${" is not allowed on ".repeat(500)}x. Use POST` })).toBe("methodNotAllowed");
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(failureKind({ message: "Method PUT is not allowed on /api/v1/users. Use POST" })).toBe("methodNotAllowed");
    expect(failureKind({ message: "Method  is not allowed on /x. Use POST" })).toBe("unknown"); // a placeholder takes one character at least
    expect(failureKind("<html>")).toBe("notJson");
  });

  it("under the cap, a near miss many times over is still fast", () => {
    const text = `Method ${" is not allowed o".repeat(Math.floor((MAX_MATCHED_MESSAGE - 10) / 17))}`;
    const started = performance.now();
    for (let i = 0; i < 200; i++) expect(matchesTemplate("Method {method} is not allowed on {path}", {}, text)).toBe(false);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it.each([
    ["Method {method} is not allowed on {path}", {}, "Method PUT is not allowed on /api/v1/users", true],
    ["Method {method} is not allowed on {path}", { method: "PUT" }, "Method GET is not allowed on /api/v1/users", false],
    ["User with email {email} does not exist", { email: "A.B@Example.com" }, "User with email a.b@example.COM does not exist", true],
    ["User with email {email} does not exist", { email: "ab@example.com" }, "User with email ab@example.com does not exist!", false],
    ["{a}{b}", {}, "x", false],
    ["{a}{b}", {}, "xy", true],
    ["x {detail} y {detail} z", {}, "x 1 y 2 y 3 z", true],
    ["x {detail} y", {}, "x   y", true],
    ["x {detail} y", {}, "x  y", false],
    ["x {detail} y", {}, "x y", false],
    ["Unauthorized", {}, "Unauthorized", true],
    ["Unauthorized", {}, "unauthorized", false],
  ])("%s with %j matches %j: %s", (template, values, message, expected) => {
    expect(matchesTemplate(template, values as Record<string, string>, message)).toBe(expected);
  });

  it("a learned template with three placeholders and a long message", () => {
    const text = "a".repeat(900);
    const started = performance.now();
    expect(fitsTemplate("{x} b {y} b {z} b", text, {})).toBe(false);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe("conform against a service answering PUT with the hostile message", () => {
  const start = useForeignDeployments();
  it("finishes method-put in bounded time, with no false RESTORE FAILED", async () => {
    const foreign = await start({
      intercept: (r, res) => {
        if (r.method !== "PUT") return false;
        res.writeHead(405, { "content-type": "application/json", allow: "POST" });
        res.end(JSON.stringify({ status: 405, success: false, message: HOSTILE }));
        return true;
      },
    });
    const run = await conform(foreign, ["--only", "method-put"]);
    expect(run.stdout).not.toContain("RESTORE FAILED");
    expect(run.code).not.toBe(2);
    expect(run.ms).toBeLessThan(20_000);
  });
});
