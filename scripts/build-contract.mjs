// Build step, after tsc. Writes, from openapi.yaml:
// - dist/openapi.json, so the built kit starts without parsing YAML;
// - dist/contract/precompiled-validators.cjs: ajv's standalone code for the validators the fake needs before its
//   first answer, so it starts without compiling them. dist/contract/contract.js uses both only together, and only
//   while dist/openapi.json is newer than openapi.yaml.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { parse } from "yaml";
import { PRECOMPILED_POINTERS } from "../dist/contract/contract.js";
import { createSpecAjv, SPEC_ID } from "../dist/contract/validators.js";

const root = new URL("..", import.meta.url);
const standaloneCode = createRequire(import.meta.url)("ajv/dist/standalone").default;

const spec = parse(readFileSync(new URL("openapi.yaml", root), "utf8"));
const names = PRECOMPILED_POINTERS.map((_, i) => `validate${i}`);
const code = standaloneCode(
  createSpecAjv(spec, { source: true }),
  Object.fromEntries(names.map((name, i) => [name, `${SPEC_ID}#${PRECOMPILED_POINTERS[i]}`])),
);
const pointers = Object.fromEntries(names.map((name, i) => [name, PRECOMPILED_POINTERS[i]]));
writeFileSync(new URL("dist/contract/precompiled-validators.cjs", root), `${code}\nexports.pointers = ${JSON.stringify(pointers)};\n`);
writeFileSync(new URL("dist/openapi.json", root), JSON.stringify(spec));
