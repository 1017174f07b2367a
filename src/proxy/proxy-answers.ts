/**
 * @module proxy/proxy-answers
 * The answers the proxy gives itself when the deployment gave none it could carry: the API's error envelope, as
 * openapi.yaml describes them (x-kit-proxy-only: InjectedFault's upstream examples and UpstreamTimeout).
 */

export interface ProxyAnswer {
  status: number;
  body: { status: number; success: false; message: string };
  /** The journal's outcome for it. */
  outcome: string;
}

function answer(status: number, outcome: string, message: string): ProxyAnswer {
  return { status, outcome, body: { status, success: false, message: `cv-contract-kit proxy: ${message}` } };
}

export const upstreamUnreachable = (reason: string): ProxyAnswer =>
  answer(
    502,
    "proxy:unreachable",
    `the deployment did not answer (${reason}); check --to and that it is up. The request was sent at most once and not retried.`,
  );

export const upstreamAnswerTooLarge = (limit: number): ProxyAnswer =>
  answer(
    502,
    "proxy:answerTooLarge",
    `the deployment answered more than ${limit} bytes, which the proxy does not carry; the request was not retried.`,
  );

export const upstreamTimeout = (timeoutMs: number): ProxyAnswer =>
  answer(
    504,
    "proxy:timeout",
    `the deployment did not answer within ${timeoutMs} ms (--timeout); the request was not retried, and may still be applied.`,
  );
