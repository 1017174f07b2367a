// Finding 3 of issue 24: DNS rebinding when the fake listens beyond loopback (--host 0.0.0.0, the usual in a
// container). The Host check was skipped there and an Origin equal to the Host accepted, so a page on
// evil.example:4010, rebound to the fake, drove the admin API (and a GET carries no Origin at all). Host must now
// name an address the fake serves: loopback, the bound address, or an --allowed-host name.
// These fakes listen on 0.0.0.0 on purpose (the case under test); the requests go to 127.0.0.1 only.
import { request as httpRequest } from "node:http";
import { describe, expect, it, vi } from "vitest";
import { serveCommand } from "../../src/cli/serve.js";
import { useFakeServers } from "../support/use-fake.js";

interface Raw {
  status: number;
  text: string;
}

/** One request to 127.0.0.1 with the Host (and headers) a rebinding page's browser would send. */
function sendAs(port: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("the fake on 0.0.0.0", () => {
  const start = useFakeServers();

  it("refuses the admin API and the start page to a rebound name, with or without Origin", async () => {
    const fake = await start({ host: "0.0.0.0" });
    const port = new URL(fake.url).port;
    const evil = `evil.example:${port}`;
    const db = await sendAs(port, "GET", "/__admin/db", { host: evil });
    expect(db.status).toBe(403);
    expect(db.text).not.toContain("cvk_test_");
    const reset = await sendAs(port, "POST", "/__admin/reset", { host: evil, origin: `http://${evil}`, "content-type": "application/json" }, "{}");
    expect(reset.status).toBe(403);
    const page = await sendAs(port, "GET", "/", { host: evil, accept: "text/html" });
    expect(page.status).toBe(403);
    expect(page.text).not.toContain("cvk_test_");
  });

  it("serves loopback names and the machine's own addresses", async () => {
    const fake = await start({ host: "0.0.0.0" });
    const port = new URL(fake.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) expect((await sendAs(port, "GET", "/__admin/db", { host })).status).toBe(200);
  });

  it("serves an --allowed-host name, in any case, and nothing else", async () => {
    const fake = await start({ host: "0.0.0.0", allowedHosts: ["fake.internal"] });
    const port = new URL(fake.url).port;
    expect((await sendAs(port, "GET", "/__admin/db", { host: `Fake.Internal:${port}` })).status).toBe(200);
    expect((await sendAs(port, "GET", "/__admin/db", { host: `fake.internal.evil.example:${port}` })).status).toBe(403);
  });

  it("on 127.0.0.1, still refuses any other name", async () => {
    const fake = await start();
    const port = new URL(fake.url).port;
    expect((await sendAs(port, "GET", "/__admin/db", { host: `evil.example:${port}` })).status).toBe(403);
  });
});

describe("serve beyond loopback", () => {
  async function banner(args: string[]): Promise<string> {
    const lines: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...parts: unknown[]) => void lines.push(parts.join(" ")));
    try {
      const running = serveCommand(["--port", "0", ...args]);
      while (!lines.some((l) => l.includes("Press Ctrl+C"))) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 10));
      process.emit("SIGTERM");
      expect(await running).toBe(0);
    } finally {
      log.mockRestore();
    }
    return lines.join("\n");
  }

  it("says so at start when no --allowed-host is given", async () => {
    expect(await banner(["--host", "0.0.0.0"])).toContain("the fake listens beyond loopback (0.0.0.0)");
    expect(await banner(["--host", "0.0.0.0", "--allowed-host", "fake"])).not.toContain("beyond loopback");
    expect(await banner([])).not.toContain("beyond loopback");
  });
});
