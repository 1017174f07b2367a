// The JSON Schemas of scenario and target files (conformance/*.schema.json) are what the loader checks with, and
// what an editor reads through "$schema": every file the kit ships must match them, and a mistake must name the file
// and the field.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { checkTarget, loadScenarios } from "../../src/index.js";

const yamlFilesIn = (dir: string) =>
  readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => join(dir, name));

function fileValidator(name: "scenario" | "target") {
  const ajv = new Ajv2020({ allErrors: true });
  // compile() meta-validates the schema against JSON Schema 2020-12: a broken schema fails here.
  return ajv.compile(JSON.parse(readFileSync(`conformance/${name}.schema.json`, "utf8")) as object);
}

function folderWith(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "cv-schema-"));
  writeFileSync(join(dir, "bad.yaml"), yaml);
  return dir;
}

const scenario = (steps: string) => `id: x\ntitle: t\ntier: documented\nsource: s\nsteps:\n${steps}`;

describe("the schemas of scenario and target files", () => {
  it.each(yamlFilesIn("conformance/scenarios"))("%s matches conformance/scenario.schema.json", (file) => {
    const validate = fileValidator("scenario");
    expect(validate(parse(readFileSync(file, "utf8"), { merge: true })), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(yamlFilesIn("conformance/targets"))("%s matches conformance/target.schema.json", (file) => {
    const validate = fileValidator("target");
    expect(validate(parse(readFileSync(file, "utf8"))), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ["a send without expect", scenario("  - send: { data: { email: a@b.test } }\n"), /bad\.yaml: steps\[0\]: has "send" but no "expect": add it/],
    [
      "a step with neither send nor read",
      scenario("  - expect: { status: 200 }\n"),
      /bad\.yaml: steps\[0\] must be a request \(send, with expect\) or a read of an account \(read, expect optional\)/,
    ],
    [
      "a misspelt inferred expectation",
      scenario("  - send: { data: { email: a@b.test } }\n    expect: { inferred: { stauts: 400 } }\n"),
      /bad\.yaml: unknown key steps\[0\]\.expect\.inferred\.stauts \(did you mean status\?\)/,
    ],
    [
      "a status that is text",
      scenario("  - send: { data: { email: a@b.test } }\n    expect: { status: ok }\n"),
      /bad\.yaml: steps\[0\]\.expect\.status/,
    ],
    ["a missing title", scenario("  - read: updatableUser\n").replace("title: t\n", ""), /bad\.yaml: "title" is missing: add it/],
  ])("a scenario file with %s is refused, naming the file and the field", (_, yaml, message) => {
    expect(() => loadScenarios(folderWith(yaml))).toThrow(message);
  });

  it.each([
    [
      { accounts: { phoneOwner: { email: "qa@x.test", phoneNumber: "555" } } },
      /t\.yaml: accounts\.phoneOwner\.phoneNumber must be a phone number in E\.164 like \+15550009999 \(received "555"\)/,
    ],
    [
      { accounts: { updatableUser: { email: "qa@x.test", emial: "x" } } },
      /t\.yaml: unknown key accounts\.updatableUser\.emial \(did you mean email\?\)/,
    ],
    [
      { otherOrganization: { apiKeyEnv: "1 x" }, accounts: { otherOrganizationUser: { email: "o@x.test" } } },
      /t\.yaml: otherOrganization\.apiKeyEnv must be the name of an environment variable/,
    ],
    [[], /t\.yaml: a target file must be a mapping/],
  ])("a target file %j is refused, naming the file and the field", (doc, message) => {
    expect(() => checkTarget(doc, "t.yaml")).toThrow(message);
  });
});
