// ESLint for the TypeScript sources, tests and bench scripts (typescript-eslint's recommended, type-aware rules).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { builtinModules } from "node:module";

/** Node's modules for sockets and files, under both names (`fs` and `node:fs`). */
const TRANSPORT_AND_FILES = ["fs", "http", "https", "http2", "net", "tls", "dgram"].flatMap((name) => [name, `node:${name}`]);

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "reports/", "src/generated/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        Buffer: "readonly",
        URL: "readonly",
        performance: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        fetch: "readonly",
        Request: "readonly",
        Response: "readonly",
      },
    },
  },
  // The layers the README draws, enforced: the conformance suite knows a target only by URL or fetch; the rules and
  // the core are plain functions, with no transport or file; the client entry stays browser-safe.
  {
    files: ["src/conformance/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/fake/**"],
              message: "The conformance suite judges the fake as any deployment: through a base URL or a fetch, never its code.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/fake/rules/**/*.ts", "src/fake/core/**/*.ts", "src/fake/faults/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: [...TRANSPORT_AND_FILES, "express", "json-server"].map((name) => ({
            name,
            message: "Rules and the core are transport-free and file-free: an adapter (src/fake/http, src/fake/state) does that.",
            allowTypeImports: true,
          })),
          patterns: [
            {
              group: ["**/http/**", "**/state/state-file*", "**/state/load-fixtures*", "node:fs/*", "fs/*"],
              message: "Rules and the core are transport-free and file-free.",
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/client/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: builtinModules.map((name) => ({
            name,
            message: "cv-contract-kit/client must stay browser-safe: no Node module.",
            allowTypeImports: true,
          })),
          patterns: [
            {
              group: [
                "node:*",
                "express",
                "json-server",
                "ajv*",
                "yaml",
                "**/fake/**",
                "**/contract/**",
                "!**/contract/messages.js",
                "**/conformance/**",
              ],
              message: "cv-contract-kit/client must stay browser-safe: openapi-fetch and the generated types only.",
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read untyped JSON bodies on purpose.
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
