// npm run generate (and its --check in npm run lint): writes src/generated/messages.ts from openapi.yaml's named
// examples, so the browser-safe client can name each documented failure without reading YAML at run time.
import { readFileSync, writeFileSync } from "node:fs";
import { parse } from "yaml";

const root = new URL("..", import.meta.url);
const out = new URL("src/generated/messages.ts", root);
const spec = parse(readFileSync(new URL("openapi.yaml", root), "utf8"));
const messages = Object.fromEntries(
  Object.entries(spec.components.examples)
    // An aligned sample shows what a fixtures file may set (FixtureAnswers): it names no message of the contract.
    .filter(
      ([, example]) =>
        typeof example?.value?.message === "string" && typeof example.value.status === "number" && example["x-kit-aligned-sample"] !== true,
    )
    .map(([name, example]) => [name, { status: example.value.status, template: example.value.message, tier: example["x-kit-tier"] ?? "inferred" }]),
);
const text = `// Generated from openapi.yaml (components.examples) by scripts/generate-messages.mjs: do not edit.
// Regenerate with \`npm run generate\`; \`npm run lint\` fails while this file is stale.

/** Every message the contract names: its status, its text ({email} and other {…} stand for values), and its tier. */
export const MESSAGES = ${JSON.stringify(messages, null, 2)} as const;

export type MessageName = keyof typeof MESSAGES;
`;
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(out, "utf8");
  } catch {
    /* missing: stale */
  }
  if (current !== text) {
    console.error("src/generated/messages.ts is not up to date with openapi.yaml: run `npm run generate`.");
    process.exit(1);
  }
} else {
  writeFileSync(out, text);
}
