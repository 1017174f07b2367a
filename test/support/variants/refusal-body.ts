// The bodies of refusals: the page's envelope for the documented failures, the deployment's own for the rest.
import type { Envelope } from "./knobs.js";

/** A refusal in one of the envelopes a deployment may use; detail says which field or value was wrong. */
export function refusalBody(status: number, envelope: Envelope, message: string, code: string, detail?: string): Record<string, unknown> {
  const full = detail ? `${message}: ${detail}` : message;
  switch (envelope) {
    case "page":
      return { status, success: false, message: full };
    case "errorCode":
      return { error: full, code };
    case "statusErrorCode":
      return { status, success: false, error: full, code };
    case "pagePlusErrorCode":
      return { status, success: false, message, error: detail ?? message, code };
  }
}
