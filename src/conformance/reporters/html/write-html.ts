/**
 * @module conformance/reporters/html/write-html
 * Writes a rendered report, redacted once more as the last line of defence, through a temp file and a rename.
 */
import type { Redact } from "../../redact.js";
import { writeReportFile } from "../write-report-file.js";

export function writeHtmlReport(path: string, html: string, redact: Redact): void {
  writeReportFile(path, redact(html));
}
