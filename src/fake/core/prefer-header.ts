/**
 * @module fake/core/prefer-header
 * A fault for one request, asked in the request itself, the way Prism reads `Prefer: code=…` (RFC 7240):
 *
 *   Prefer: code=503             a forced status (429, 500, 502 or 503)
 *   Prefer: delay=250            answer 250 ms late; delay=100-400 picks at random in between
 *   Prefer: fault=reset          hang | reset | empty | malformedJson
 *   Prefer: example=NAME         answer that named response example of openapi.yaml (Prism's rule; see
 *                                prefer-example); with code=… that status's example, with delay=… late
 *
 * Several at once are separated by commas (`Prefer: code=429, delay=100`). Other preferences are ignored, as RFC
 * 7240 asks, and so is the whole header by a real deployment: a request with it is safe to send anywhere.
 */
import type { Contract } from "../../contract/contract.js";
import { faultProblem } from "./check-fault.js";
import { delayProblem, parseDelay, type Delay } from "./delay.js";
import type { FaultSpec } from "./faults.js";

const OURS = new Set(["code", "delay", "fault", "example"]);
export const PREFER_SCHEMA_POINTER = "/components/parameters/Prefer/schema";

/** What a Prefer header asks for: a fault, or a named example (late, when it has a delay too). */
export type Preference = { fault: FaultSpec; example?: undefined } | { example: { name: string; status?: number; delay?: Delay }; fault?: undefined };

/**
 * What a Prefer header asks for: undefined if it asks for nothing of ours, or the problem with what it asks. The
 * header is checked first against its schema in openapi.yaml (components.parameters.Prefer: its maxLength), by ajv;
 * what it asks for is then a FaultSpec, checked as POST /__admin/faults checks one.
 */
export function faultFromPrefer(contract: Contract, header: string | undefined): Preference | { problem: string } | undefined {
  if (header === undefined) return undefined;
  const issues = contract.schemaValidator(PREFER_SCHEMA_POINTER)(header);
  if (issues.length > 0) return { problem: `Prefer header: ${issues.map((issue) => headerWords(issue.message, header)).join("; ")}` };
  const spec: FaultSpec = {};
  let asked = false;
  let example: string | undefined;
  for (const part of header.split(/[,;]/)) {
    const [rawName, ...rest] = part.split("=");
    const name = rawName!.trim().toLowerCase();
    if (!OURS.has(name)) continue;
    asked = true;
    const value = rest
      .join("=")
      .trim()
      .replace(/^"(.*)"$/, "$1");
    if (name === "code") {
      if (!/^\d{3}$/.test(value)) return { problem: `Prefer: code=${value}: give a status such as code=503` };
      spec.status = Number(value) as FaultSpec["status"];
    } else if (name === "delay") {
      const delay = parseDelay(value);
      if (!delay) return { problem: `Prefer: delay=${value}: give milliseconds, e.g. delay=250 or delay=100-400` };
      spec.delay = delay;
    } else if (name === "example") {
      if (value === "") return { problem: "Prefer: example=: name an example, e.g. example=vendorExample" };
      example = value;
    } else {
      spec.effect = value as FaultSpec["effect"];
    }
  }
  if (!asked) return undefined;
  if (example !== undefined) {
    // The status picks the example's response: any documented status, not only the fault statuses.
    if (spec.effect !== undefined) return { problem: `Prefer header: example=${example} answers an example; leave out fault=${spec.effect}` };
    if (spec.delay !== undefined) {
      const problem = delayProblem(contract, spec.delay);
      if (problem) return { problem: `Prefer header: ${problem}` };
    }
    return {
      example: {
        name: example,
        ...(spec.status === undefined ? {} : { status: spec.status }),
        ...(spec.delay === undefined ? {} : { delay: spec.delay }),
      },
    };
  }
  const problem = faultProblem(contract, spec);
  return problem ? { problem: `Prefer header: ${problem}` } : { fault: spec };
}

/** ajv's "must NOT have more than 200 characters", said of the header, with its length: what to shorten. */
function headerWords(message: string, header: string): string {
  const limit = /more than (\d+) characters/.exec(message);
  return limit ? `at most ${limit[1]} characters (this one has ${header.length})` : message;
}
