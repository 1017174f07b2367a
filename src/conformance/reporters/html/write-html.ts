/**
 * @module conformance/reporters/html/write-html
 * Writes a rendered report, redacted once more as the last line of defence.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Redact } from "../../redact.js";

export function writeHtmlReport(path: string, html: string, redact: Redact): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, redact(html));
}
