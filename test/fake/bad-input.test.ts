// Bad input always gets a documented 4xx JSON envelope: never a 5xx, an HTML page, a stack trace or a file path,
// and the server keeps serving.
import { request as httpRequest } from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { useFakeServer } from "../support/use-fake.js";
import { KEY_A, readUser, send, update, type Reply } from "../support/http.js";

const fake = useFakeServer();

const ANA = "ana.free@clinic-a.test";
const figures = { sent: 0, serverErrors: 0 };
afterAll(() => console.log(`[bad input] requests sent: ${figures.sent}, 5xx seen: ${figures.serverErrors}`));

/** A bad request: a 4xx envelope, no stack trace or path, and Ana unchanged. */
async function expectRefused(reply: Reply, status = 400): Promise<void> {
  figures.sent++;
  if (reply.status >= 500) figures.serverErrors++;
  expect(reply.status, reply.text).toBe(status);
  expect(reply.text).not.toMatch(/\bat \S+ \(|node_modules|\/work\/|\.ts:\d+|<html/i);
  expect((await readUser(fake().url, ANA)).city).toBe("Springfield");
}

describe("malformed JSON", () => {
  it.each([
    ["truncated", `{"action":"UPDATE_PROFILE","data":{"email":"${ANA}","city":"X"`],
    ["a trailing comma", `{"action":"UPDATE_PROFILE","data":{"email":"${ANA}","city":"X",}}`],
    ["single quotes", `{'action':'UPDATE_PROFILE','data':{'email':'${ANA}','city':'X'}}`],
    ["a comment", `{"action":"UPDATE_PROFILE", /* x */ "data":{"email":"${ANA}","city":"X"}}`],
    ["an empty body", ""],
    ["NaN", `{"action":"UPDATE_PROFILE","data":{"email":"${ANA}","postalCode":NaN}}`],
  ])("refuses %s as not valid JSON", async (_, body) => {
    const reply = await send(fake().url, body);
    await expectRefused(reply);
    expect(reply.body.message).toMatch(/^Request body is not valid JSON: /);
  });

  it("refuses a byte order mark, saying so", async () => {
    const reply = await send(
      fake().url,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ action: "UPDATE_PROFILE", data: { email: ANA, city: "X" } }))]),
    );
    await expectRefused(reply);
    expect(reply.body.message).toContain("byte order mark");
  });

  it("refuses invalid UTF-8, saying so", async () => {
    const body = Buffer.concat([
      Buffer.from(`{"action":"UPDATE_PROFILE","data":{"email":"${ANA}","city":"`),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}}'),
    ]);
    const reply = await send(fake().url, body);
    await expectRefused(reply);
    expect(reply.body.message).toContain("not valid UTF-8");
  });

  it("refuses deeply nested JSON without a stack overflow", async () => {
    const depth = 40_000;
    const reply = await send(fake().url, `{"action":"UPDATE_PROFILE","data":{"email":"${ANA}","x":${"[".repeat(depth)}${"]".repeat(depth)}}}`);
    figures.sent++;
    // Within the size limit it parses; unknown keys are ignored, so it succeeds without storing anything.
    expect([200, 400, 413]).toContain(reply.status);
    expect(reply.status).toBeLessThan(500);
    const deeper = await send(fake().url, `{"action":"UPDATE_PROFILE","data":{"email":"${ANA}","x":${"[".repeat(60_000)}`);
    await expectRefused(deeper);
  });
});

describe("bodies of the wrong shape", () => {
  it.each([
    ["null", "null", "body must be object"],
    ["an array", "[]", "body must be object"],
    ["a string", '"x"', "body must be object"],
    ["a number", "42", "body must be object"],
    ["no data", '{"action":"UPDATE_PROFILE"}', "data is required"],
    ["data null", '{"action":"UPDATE_PROFILE","data":null}', "data must be object"],
    ["data a string", `{"action":"UPDATE_PROFILE","data":"${ANA}"}`, "data must be object"],
    ["no action", `{"data":{"email":"${ANA}"}}`, "action is required"],
  ])("refuses %s, naming what is wrong", async (_, body, detail) => {
    const reply = await send(fake().url, body);
    await expectRefused(reply);
    expect(reply.body.message).toContain(detail);
  });

  it.each([
    ["email", 42],
    ["firstName", 42],
    ["lastName", true],
    ["dob", 19950101],
    ["gender", ["MALE"]],
    ["phoneNumber", 15550000001],
    ["address", { street: "x" }],
    ["address2", 2],
    ["city", null],
    ["state", 1],
    ["country", false],
    ["postalCode", 1010],
  ])("refuses %s of the wrong type (%j)", async (field, value) => {
    const reply = await update(fake().url, { email: ANA, city: "Boston", [field]: value });
    await expectRefused(reply);
    expect(reply.body.message).toContain(`data.${field} must`);
  });

  it.each([
    ["firstName", "x".repeat(101)],
    ["address", "x".repeat(256)],
    ["email", `${"x".repeat(250)}@example.com`],
    ["postalCode", "1".repeat(11)],
  ])("refuses a %s that is too long", async (field, value) => {
    await expectRefused(await update(fake().url, { email: ANA, city: "Boston", [field]: value }));
  });
});

describe("size and connection limits", () => {
  it("answers a 10 MB body with 413 before reading it, and keeps serving", async () => {
    const started = performance.now();
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${fake().url}/api/v1/users`, {
        method: "POST",
        headers: { "content-type": "application/json", "cv-api-key": KEY_A, "content-length": String(10 * 2 ** 20) },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.write("{");
    });
    figures.sent++;
    expect(status).toBe(413);
    expect(performance.now() - started).toBeLessThan(1000);
    expect((await update(fake().url, { email: ANA })).status).toBe(200);
  });

  it("answers a streamed body that grows past the limit (no Content-Length) with 413", async () => {
    const big = JSON.stringify({ action: "UPDATE_PROFILE", data: { email: ANA, address: "x".repeat(300_000) } });
    const status = await new Promise<number>((resolve) => {
      const req = httpRequest(`${fake().url}/api/v1/users`, {
        method: "POST",
        headers: { "content-type": "application/json", "cv-api-key": KEY_A, "transfer-encoding": "chunked" },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", () => resolve(-1));
      for (let i = 0; i < big.length; i += 16_384) req.write(big.slice(i, i + 16_384));
      req.end();
    });
    figures.sent++;
    expect(status).toBe(413);
    await expectRefused(await update(fake().url, { email: ANA, city: 1 }));
  });
});

describe("requests that are not valid HTTP", () => {
  it.each([
    ["a broken request line", "POST /api/v1/users HTTP/9\r\n\r\n"],
    [
      "Content-Length and Transfer-Encoding together",
      "POST /api/v1/users HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    ],
    ["a header line without a colon", "POST /api/v1/users HTTP/1.1\r\nHost x\r\n\r\n"],
  ])("answer %s with the JSON envelope, then close", async (_, raw) => {
    const { connect } = await import("node:net");
    const url = new URL(fake().url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.write(raw));
      let text = "";
      socket.on("data", (c) => (text += c.toString()));
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    figures.sent++;
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    const body = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)) as { status: number; success: boolean; message: string };
    expect(body).toMatchObject({ status: 400, success: false });
    expect(body.message).toMatch(/^Malformed HTTP request: HPE_/);
  });
});
