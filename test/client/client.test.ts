// The client as an integrator's app uses it: against the fake through real HTTP, against a proxy that answers
// HTML, with a timeout; failureKind names each failure the page documents (judged by the page's own words); and
// the browser entry loads nothing of Node.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createClient, failureKind, MESSAGES } from "../../src/client/index.js";
import { KEY_A } from "../support/http.js";
import { useFakeServer } from "../support/use-fake.js";
import { PAGE_MESSAGES } from "../support/vendor-page.js";

const fake = useFakeServer();
const envelope = (message: string) => ({ status: 400, success: false as const, message });

describe("failureKind", () => {
  it.each([
    ["userDoesNotExist", PAGE_MESSAGES.userDoesNotExist("nobody@x.test")],
    ["userNotInOrganization", PAGE_MESSAGES.userNotInOrganization("eve@x.test")],
    ["notAllowedToUpdateProfile", PAGE_MESSAGES.notAllowed],
    ["demographicFieldsLocked", PAGE_MESSAGES.locked],
    ["phoneNumberInUse", PAGE_MESSAGES.phoneInUse],
  ])("names %s from the page's own words", (kind, message) => {
    expect(failureKind(envelope(message))).toBe(kind);
  });

  it("says notJson for an answer that was not JSON, unknown for a message the contract does not name", () => {
    expect(failureKind("<html>502 Bad Gateway</html>")).toBe("notJson");
    expect(failureKind(envelope("Something else"))).toBe("unknown");
    expect(failureKind(undefined)).toBe("unknown");
  });

  it("exports the documented messages as the page prints them", () => {
    expect(MESSAGES.demographicFieldsLocked).toMatchObject({ status: 400, template: PAGE_MESSAGES.locked, tier: "documented" });
    expect(MESSAGES.userDoesNotExist.template).toBe(PAGE_MESSAGES.userDoesNotExist("{email}"));
  });
});

describe("the client against the fake", () => {
  it("tells a lock from a phone number in use, without comparing strings", async () => {
    const client = createClient({ baseUrl: fake().url, apiKey: KEY_A });
    const locked = await client.updateUserProfile({ email: "ben.locked@clinic-a.test", firstName: "New" });
    expect(failureKind(locked.error)).toBe("demographicFieldsLocked");
    const phone = await client.updateUserProfile({ email: "ana.free@clinic-a.test", phoneNumber: "+15550000006" });
    expect(failureKind(phone.error)).toBe("phoneNumberInUse");
  });

  it("gives the text of an answer that is not JSON (a proxy's 502) as the error", async () => {
    const client = createClient({
      baseUrl: "http://proxy.test",
      apiKey: "k",
      fetch: async () => new Response("<html>502 Bad Gateway</html>", { status: 502, headers: { "content-type": "text/html" } }),
    });
    const { error, response } = await client.updateUserProfile({ email: "a@b.test" });
    expect(response.status).toBe(502);
    expect(error).toBe("<html>502 Bad Gateway</html>");
  });

  it("gives a 200 whose body is not JSON (cut off half-way) as the error, and does not throw", async () => {
    const cutOff = '{"status":200,"success":true,"message":"Profile upd';
    const client = createClient({
      baseUrl: "http://proxy.test",
      apiKey: "k",
      fetch: async () => new Response(cutOff, { status: 200, headers: { "content-type": "application/json" } }),
    });
    const { data, error, response } = await client.updateUserProfile({ email: "a@b.test" });
    expect([response.status, data, error, failureKind(error)]).toEqual([200, undefined, cutOff, "notJson"]);
  });

  it("takes a timeout and a signal per call", async () => {
    // Like a real fetch: a signal already aborted when the request is made rejects at once (on Node 24 the abort
    // below can come before the client calls fetch), a later abort rejects when it comes.
    const hanging: typeof fetch = (input) =>
      new Promise((_, reject) => {
        const signal = (input as Request).signal;
        if (signal.aborted) reject(signal.reason as Error);
        else signal.addEventListener("abort", () => reject(signal.reason as Error));
      });
    const client = createClient({ baseUrl: "http://slow.test", apiKey: "k", fetch: hanging });
    await expect(client.updateUserProfile({ email: "a@b.test" }, { timeoutMs: 50 })).rejects.toMatchObject({ name: "TimeoutError" });
    const controller = new AbortController();
    const call = client.updateUserProfile({ email: "a@b.test" }, { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("the browser entry (cv-contract-kit/client)", () => {
  it("loads openapi-fetch and nothing of Node, express, json-server, ajv or yaml", () => {
    const entry = fileURLToPath(new URL("../../dist/client/index.js", import.meta.url));
    const seen = new Set<string>();
    const bare = new Set<string>();
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const code = readFileSync(file, "utf8");
      for (const [, spec] of code.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+["']([^"']+)["']|import\(["']([^"']+)["']\)/g)) {
        if (!spec) continue;
        if (spec.startsWith(".")) walk(join(dirname(file), spec));
        else bare.add(spec);
      }
    };
    walk(entry);
    expect([...bare].sort()).toEqual(["openapi-fetch"]);
    expect(seen.size).toBeGreaterThan(2);
  });
});
