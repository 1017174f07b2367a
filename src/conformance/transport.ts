/**
 * @module conformance/transport
 * How the suite talks to a target: one request at a time, through `exchange`.
 * - A 429 is not an answer to the question asked: it is waited out (Retry-After honoured up to a cap) and sent again.
 * - Reads and restores also ride out a transient 5xx with backoff; a scenario's own request never does (its 5xx is
 *   a finding).
 * - After three requests in a row time out, are refused or stay rate-limited, the target has stopped answering: the
 *   run stops rather than spend the timeout on every request left.
 */
import { exchange, type Exchange, type ExchangeOptions, type RequestSpec } from "./exchange.js";

/** rateLimit: retry a 429 only (scenario requests). transient: a 429 or a 5xx (reads and restores). */
export type RetryPolicy = "rateLimit" | "transient";

export interface TransportOptions extends ExchangeOptions {
  /** The longest the suite waits, in all, for one request to stop being rate-limited (5 s by default). */
  maxRetryWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface Transport {
  readonly options: TransportOptions;
  send(spec: RequestSpec, policy: RetryPolicy): Promise<Exchange>;
  /** Why the target is taken to have stopped answering, once it has. */
  stopped(): string | undefined;
}

export const MAX_CONSECUTIVE_TRANSPORT_FAILURES = 3;
export const DEFAULT_MAX_RETRY_WAIT_MS = 5_000;
const BACKOFF_MS = [200, 500, 1000];

export function createTransport(options: TransportOptions): Transport {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxWait = options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
  let failuresInARow = 0;
  let stoppedBecause: string | undefined;

  /** A request that got no answer, or only a 429 once retries are spent, counts toward stopping the run. */
  function tally(ex: Exchange): Exchange {
    const unanswered = ex.transportFailure === "timeout" || ex.transportFailure === "refused";
    if (!unanswered && ex.response?.status !== 429) {
      failuresInARow = 0;
      return ex;
    }
    failuresInARow++;
    if (failuresInARow >= MAX_CONSECUTIVE_TRANSPORT_FAILURES) {
      const last = unanswered
        ? ex.transportError
        : `429 Too Many Requests${ex.response?.headers["retry-after"] ? ` (Retry-After: ${ex.response.headers["retry-after"]})` : ""}`;
      stoppedBecause ??= `${failuresInARow} requests in a row got no answer${unanswered ? "" : " but a rate limit"} (the last: ${last})`;
    }
    return ex;
  }

  return {
    options,
    stopped: () => stoppedBecause,
    async send(spec, policy) {
      let ex = await exchange(spec, options);
      // The waits of one request add up to maxWait at most: a rate limit is reported within seconds.
      let waited = 0;
      for (const backoff of BACKOFF_MS) {
        const status = ex.response?.status;
        const retry = status === 429 || (policy === "transient" && status !== undefined && status >= 500);
        if (!retry) break;
        const wait = status === 429 ? (retryAfterMs(ex.response!.headers["retry-after"]) ?? backoff) : backoff;
        if (waited + wait > maxWait) break;
        waited += wait;
        await sleep(wait);
        ex = await exchange(spec, options);
      }
      return tally(ex);
    },
  };
}

/** Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3), in milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
