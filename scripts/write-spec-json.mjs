// Build step: openapi.yaml as JSON in dist/, so the built fake starts without parsing YAML (about 40 ms saved).
// dist/contract/load-spec.js uses it only while it is newer than openapi.yaml.
import { readFileSync, writeFileSync } from "node:fs";
import { parse } from "yaml";

const root = new URL("..", import.meta.url);
writeFileSync(new URL("dist/openapi.json", root), JSON.stringify(parse(readFileSync(new URL("openapi.yaml", root), "utf8"))));
