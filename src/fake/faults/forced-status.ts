import type { components } from "../../generated/openapi.js";
import { defineFault } from "./define-fault.js";

/** Each status FaultStatus allows, with its reason phrase: the compiler asks for one when openapi.yaml adds one. */
const REASONS: Record<components["schemas"]["FaultStatus"], string> = {
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

/** The statuses a fault can force, for the help. */
export const FORCED_STATUSES = Object.keys(REASONS).map(Number);

/** What gateways and overloaded services answer: the status in the API's envelope (429 with Retry-After). */
export const forcedStatus = defineFault({
  askedBy: { property: "status" },
  schema: "/components/schemas/FaultStatus",
  help: "this status in the envelope (429 with Retry-After)",
  answer: ({ status = 503, retryAfter }, { injectedMessage }) => ({
    status,
    headers: status === 429 ? { "retry-after": String(retryAfter ?? 1) } : ({} as Record<string, string>),
    body: { status, success: false, message: injectedMessage(status, REASONS[status]) },
  }),
});
