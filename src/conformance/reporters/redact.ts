/**
 * @module conformance/reporters/redact
 * The last line of defence: whatever a target echoes, the API key never reaches a console or a report.
 */
export type Redact = (text: string) => string;

export function createRedactor(secret: string): Redact {
  if (secret.length < 4) return (text) => text; // too short to find safely; never recorded by the runner anyway
  return (text) => text.split(secret).join("<redacted>");
}
