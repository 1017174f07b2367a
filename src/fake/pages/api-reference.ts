/**
 * @module fake/pages/api-reference
 * The API reference page: built from openapi.yaml by `npm run build` (scripts/build-reference.mjs: Redocly's
 * build-docs, Redoc's script inlined, no telemetry, no remote logo) into dist/reference/index.html, and served by the
 * fake at REFERENCE_PATH with a Content-Security-Policy that lets it run its own inline scripts and load nothing.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const REFERENCE_PATH = "/__docs";

/** The package root is three levels above this file, in src/ and in dist/ alike. */
export const REFERENCE_FILE = fileURLToPath(new URL("../../../dist/reference/index.html", import.meta.url));

export interface ApiReference {
  html: Buffer;
  csp: string;
}

export function referenceBuilt(file: string = REFERENCE_FILE): boolean {
  return existsSync(file);
}

/** Reads the built page; undefined when it was not built. */
export function loadApiReference(file: string = REFERENCE_FILE): ApiReference | undefined {
  let html: Buffer;
  try {
    html = readFileSync(file);
  } catch {
    return undefined;
  }
  return { html, csp: referenceCsp(html.toString("utf8")) };
}

/**
 * The page's own inline scripts, by their SHA-256 (Redoc's hydration and its color-mode switch), and nothing else.
 * Redoc's components set inline styles, and its images (icons) are data: URIs.
 */
export function referenceCsp(html: string): string {
  const hashes = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)].map(
    ([, body]) =>
      `'sha256-${createHash("sha256")
        .update(body ?? "")
        .digest("base64")}'`,
  );
  return [
    "default-src 'none'",
    `script-src ${hashes.join(" ") || "'none'"}`,
    "style-src 'unsafe-inline'",
    "img-src data:",
    "font-src data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}
