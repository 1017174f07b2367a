/**
 * @module text/escape-html
 * Text for HTML, element content and double- or single-quoted attribute values alike: the fake's root page and the
 * suite's HTML reports both show values someone else chose (fixtures, a deployment's answers).
 */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
