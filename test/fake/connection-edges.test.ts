// What happens on the wire when a client misbehaves (issue 10): garbage pipelined after a valid update, a refused
// request whose chunked body never ends, a request that never finishes. One answer per request, in the envelope,
// never a write on a socket whose response is pending.
import { connect, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { KEY_A, readUser } from "../support/http.js";
import { useFakeServers } from "../support/use-fake.js";

const start = useFakeServers();

const ANA = "ana.free@clinic-a.test";

/** Opens a raw connection; resolves when connected. */
function open(url: string): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let text = "";
    const socket = connect(Number(port), hostname, () => resolve({ socket, received: () => text, closed }));
    const closed = new Promise<void>((done) => socket.once("close", () => done()));
    socket.on("data", (chunk: Buffer) => (text += chunk.toString()));
    socket.on("error", (error) => (socket.connecting ? reject(error) : undefined));
  });
}

// A JSON body has no trailing newline: the next answer's status line follows its last byte.
const statusLines = (text: string) => [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
const bodyOf = (text: string, index = 0) => {
  const parts = text.split(/HTTP\/1\.1 /).filter(Boolean);
  const part = parts[index]!;
  return JSON.parse(part.slice(part.indexOf("\r\n\r\n") + 4)) as { status: number; success: boolean; message: string };
};

function updateRequest(data: Record<string, unknown>): string {
  const body = JSON.stringify({ action: "UPDATE_PROFILE", data });
  return `POST /api/v1/users HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncv-api-key: ${KEY_A}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

describe("finding 6: garbage pipelined after a valid update", () => {
  it("answers the update 200 (it was applied), then the garbage 400, then closes", async () => {
    const fake = await start();
    const { socket, received, closed } = await open(fake.url);
    socket.write(`${updateRequest({ email: ANA, city: "Pipelined" })}GARBAGE\r\n\r\n`);
    await closed;
    expect(statusLines(received())).toEqual([200, 400]);
    expect(bodyOf(received(), 0)).toMatchObject({ status: 200, success: true });
    expect(bodyOf(received(), 1).message).toMatch(/^Malformed HTTP request: HPE_/);
    expect((await readUser(fake.url, ANA)).city).toBe("Pipelined");
  });

  it("answers three pipelined updates in order before the garbage", async () => {
    const fake = await start();
    const { socket, received, closed } = await open(fake.url);
    socket.write(["A", "B", "C"].map((city) => updateRequest({ email: ANA, city })).join("") + "GARBAGE\r\n\r\n");
    await closed;
    expect(statusLines(received())).toEqual([200, 200, 200, 400]);
    expect((await readUser(fake.url, ANA)).city).toBe("C");
  });
});

describe("finding 8: a refused request whose chunked body never ends", () => {
  it.each([
    ["the API, with a wrong Content-Type", "/api/v1/users", `content-type: text/plain\r\ncv-api-key: ${KEY_A}`, 415],
    ["the admin API, from another site", "/__admin/users", "content-type: application/json\r\norigin: https://evil.example", 403],
  ])("on %s: answered once, then the connection closes (the body is not read on)", async (_, path, headers, status) => {
    const fake = await start();
    const { socket, received, closed } = await open(fake.url);
    socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\ntransfer-encoding: chunked\r\n\r\n`);
    const chunk = `4000\r\n${"x".repeat(0x4000)}\r\n`;
    let sent = 0;
    let open_ = true;
    void closed.then(() => (open_ = false));
    const started = performance.now();
    while (open_ && performance.now() - started < 3000) {
      if (!socket.write(chunk)) await new Promise((r) => socket.once("drain", r).once("close", r));
      sent += chunk.length;
    }
    await closed;
    const seconds = (performance.now() - started) / 1000;
    expect(statusLines(received())).toEqual([status]);
    expect(seconds).toBeLessThan(2);
    console.log(
      `[connections] endless chunked body on ${path}: answered ${status} once, closed after ${seconds.toFixed(2)} s, ${(sent / 2 ** 20).toFixed(1)} MiB sent by the client`,
    );
  });
});

describe("finding 8: a request that does not arrive in time", () => {
  it("gets 408 in the envelope (not 400), once, and the connection closes", async () => {
    const fake = await start({ requestTimeout: 300 });
    const { socket, received, closed } = await open(fake.url);
    socket.write(
      `POST /api/v1/users HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncv-api-key: ${KEY_A}\r\ncontent-length: 100\r\n\r\n{"action":`,
    );
    await closed;
    expect(statusLines(received())).toEqual([408]);
    expect(bodyOf(received())).toEqual({
      status: 408,
      success: false,
      message: "Request timeout: the whole request did not arrive in time; send it at once",
    });
  });

  it("gets 408 when even its headers do not arrive in time", async () => {
    const fake = await start({ requestTimeout: 300 });
    const { socket, received, closed } = await open(fake.url);
    socket.write("GET /__admin/users HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    await closed;
    expect(statusLines(received())).toEqual([408]);
  });

  it("is never answered twice: a request refused before its slow body arrived is not answered again at the timeout", async () => {
    const fake = await start({ requestTimeout: 300 });
    const { socket, received, closed } = await open(fake.url);
    socket.write(`POST /api/v1/users HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: text/plain\r\ncv-api-key: ${KEY_A}\r\ncontent-length: 50\r\n\r\nx`);
    const dribble = setInterval(() => socket.writable && socket.write("x"), 100);
    await closed;
    clearInterval(dribble);
    expect(statusLines(received())).toEqual([415]);
  });

  it("lets an applied update's late answer leave before closing, when the request behind it times out already answered", async () => {
    // The update waits 600 ms (a Prefer delay); the request pipelined behind it is refused (415) at once, its answer
    // queued behind the update's; its body never ends. The timeout comes while both answers are still queued.
    const fake = await start({ requestTimeout: 300 });
    const { socket, received, closed } = await open(fake.url);
    const update = updateRequest({ email: ANA, city: "AppliedLate" }).replace("\r\n\r\n", "\r\nprefer: delay=600\r\n\r\n");
    socket.write(
      `${update}POST /api/v1/users HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: text/plain\r\ncv-api-key: ${KEY_A}\r\ncontent-length: 50\r\n\r\nx`,
    );
    await closed;
    expect(statusLines(received())).toEqual([200, 415]);
    expect(bodyOf(received(), 0)).toMatchObject({ status: 200, success: true, data: { user: { city: "AppliedLate" } } });
    expect((await readUser(fake.url, ANA)).city).toBe("AppliedLate");
  });
});
