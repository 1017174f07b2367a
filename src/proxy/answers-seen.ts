/**
 * @module proxy/answers-seen
 * What the deployment answered where the vendor page is silent, learned from the traffic the proxy carried, as the
 * answers profile `drift --write-profile` writes (the same answersProfileOf, fed one side only). Each exchange is
 * named by its request alone: no key, a method the operation does not serve, a body that is not JSON, one that
 * breaks the schema, a Content-Type that is not JSON. An unknown key cannot be told from the request (the proxy does
 * not know the deployment's keys), so unknownApiKey is never learned; a body over the proxy's limit is never
 * forwarded, so payloadTooLarge is not either.
 */
import type { Contract } from "../contract/contract.js";
import { UPDATE_PROFILE_PATH } from "../contract/contract.js";
import { answersProfileOf, type AnswersProfile } from "../conformance/drift/answers-profile.js";
import type { WordingComparison } from "../conformance/drift/compare-runs.js";
import type { Redact } from "../conformance/redact.js";
import type { SeenExchange } from "./start-proxy-server.js";

const EXAMPLES_KEPT = 3;

/** The alignable answer a request asks for, judged by the request alone; undefined when it cannot be told. */
export function answerNameOf(contract: Contract, exchange: SeenExchange): string | undefined {
  if (exchange.path !== UPDATE_PROFILE_PATH) return undefined;
  if (exchange.method !== "POST" && exchange.method !== "GET") return "methodNotAllowed";
  if (exchange.method !== "POST") return undefined;
  if (!exchange.headers["cv-api-key"]) return "missingApiKey";
  if (!/^application\/json\b/i.test(exchange.headers["content-type"] ?? "")) return "unsupportedMediaType";
  let body: unknown;
  try {
    body = JSON.parse(exchange.body?.toString("utf8") ?? "") as unknown;
  } catch {
    return "malformedJson";
  }
  return contract.validateUpdateRequest(body).length > 0 ? "invalidRequestBody" : undefined;
}

/** The envelope's message of an answer, when it has one. */
function messageOf(text: string): string | undefined {
  try {
    const message = (JSON.parse(text) as { message?: unknown } | null)?.message;
    return typeof message === "string" ? message : undefined;
  } catch {
    return undefined;
  }
}

export function wordingSeen(contract: Contract, exchanges: readonly SeenExchange[]): WordingComparison[] {
  const byName = new Map<string, WordingComparison>();
  for (const exchange of exchanges) {
    const name = answerNameOf(contract, exchange);
    if (name === undefined || !contract.alignableAnswers[name]) continue;
    const w = byName.get(name) ?? { name, statusesB: [], examplesB: [], scenarios: [], same: false };
    byName.set(name, w);
    const message = messageOf(exchange.answerText);
    if (!w.statusesB.includes(exchange.status)) w.statusesB.push(exchange.status);
    if (message === undefined) continue;
    w.b = message;
    w.statusB = exchange.status;
    if (w.examplesB.length < EXAMPLES_KEPT) w.examplesB.push(message);
  }
  return [...byName.values()];
}

export function answersProfileSeen(contract: Contract, exchanges: readonly SeenExchange[], redact: Redact): AnswersProfile {
  return answersProfileOf(contract, { scenarios: [], wording: wordingSeen(contract, exchanges), differences: [] }, redact);
}
