// The baseline: a bare node:http server doing the same in-memory work as the fake's hot path (baseline-work.js),
// with no rules and no validation.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { baselineAnswer, usersByEmail } from "./baseline-work.js";

const [, , fixturesPath, port = "0"] = process.argv;
const state = JSON.parse(readFileSync(fixturesPath, "utf8"));
const byEmail = usersByEmail(state);

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const { status, text } = baselineAnswer(byEmail, Buffer.concat(chunks).toString("utf8"));
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
    res.end(text);
  });
});
server.listen(Number(port), "127.0.0.1", () => console.log(`listening ${server.address().port}`));
