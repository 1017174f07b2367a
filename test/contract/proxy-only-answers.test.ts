// The proxy's own answers (issue 23): described in openapi.yaml and marked x-kit-proxy-only, which the deployment's
// documented statuses leave out as they leave out x-kit-fake-only; the proxy says what the examples say.
import { describe, expect, it } from "vitest";
import { loadContract } from "../../src/contract/contract.js";
import { upstreamAnswerTooLarge, upstreamTimeout, upstreamUnreachable } from "../../src/proxy/proxy-answers.js";

const contract = loadContract();
const responses = contract.spec.components as unknown as {
  responses: Record<string, { "x-kit-proxy-only"?: boolean; content: { "application/json": { examples: Record<string, { value: unknown }> } } }>;
};
const example = (response: string, name: string) => responses.responses[response]!.content["application/json"].examples[name]!.value;

describe("x-kit-proxy-only answers", () => {
  it("are documented for the fake's audience and left out of a deployment's, like x-kit-fake-only", () => {
    for (const method of ["post", "get"]) {
      expect(contract.documentedStatuses("/api/v1/users", method)).toEqual(expect.arrayContaining([502, 504]));
      expect(contract.documentedStatuses("/api/v1/users", method, "deployment")).not.toContain(504);
      expect(contract.documentedStatuses("/api/v1/users", method, "deployment")).not.toContain(502);
    }
    expect(responses.responses.UpstreamTimeout!["x-kit-proxy-only"]).toBe(true);
    expect(responses.responses.InjectedFault!["x-kit-proxy-only"]).toBe(true);
  });

  it("the proxy answers the examples' words, and each passes its status's schema", () => {
    const cases = [
      [upstreamTimeout(10_000), example("UpstreamTimeout", "upstreamTimeout")],
      [upstreamAnswerTooLarge(1_048_576), example("InjectedFault", "upstreamAnswerTooLarge")],
      [upstreamUnreachable("connection refused"), example("InjectedFault", "upstreamUnreachable")],
    ] as const;
    for (const [answer, documented] of cases) {
      expect(answer.body).toEqual(documented);
      expect(contract.responseValidator("/api/v1/users", "post", answer.status)!(answer.body)).toEqual([]);
    }
  });
});
