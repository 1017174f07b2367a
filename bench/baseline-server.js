// The baseline: a bare node:http server doing the same in-memory work as the fake's hot path (parse the JSON body,
// find the user by email in a Map, merge the fields, answer the user as JSON), with no rules and no validation.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const [, , fixturesPath, port = "0"] = process.argv;
const state = JSON.parse(readFileSync(fixturesPath, "utf8"));
const byEmail = new Map(state.users.map((u) => [u.email.toLowerCase(), u]));

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    let status = 200;
    let body;
    try {
      const data = JSON.parse(Buffer.concat(chunks).toString("utf8")).data;
      const user = byEmail.get(String(data.email).toLowerCase());
      if (!user) {
        status = 400;
        body = { status, success: false, message: `User ${data.email} does not exist` };
      } else {
        for (const [k, v] of Object.entries(data)) if (k !== "email") user[k] = v;
        body = { status, success: true, message: "Profile updated successfully", data: { user } };
      }
    } catch (error) {
      status = 400;
      body = { status, success: false, message: `Request body is not valid JSON: ${error.message}` };
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
    res.end(text);
  });
});
server.listen(Number(port), "127.0.0.1", () => console.log(`listening ${server.address().port}`));
