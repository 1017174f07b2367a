// `Prefer: example=NAME` (Prism's rule): the fake answers the named response example of openapi.yaml for the API
// path, read from the contract (the expected values below come from the document, not from the fake); with code=…
// that status's example; an unknown name is a 400 naming the known ones; the journal records the exchange.
import { describe, expect, it } from "vitest";
import { createFake } from "../../src/index.js";
import { loadContract } from "../../src/contract/contract.js";
import { deref } from "../../src/contract/pointer.js";
import { json, KEY_A } from "../support/http.js";

const BASE = "http://fake.invalid";
const contract = loadContract();
const { spec } = contract;

/** The value of a named response example of an API operation, as openapi.yaml writes it. */
function exampleValue(method: "post" | "get", status: number, name: string): unknown {
  const operation = (spec.paths["/api/v1/users"] as Record<string, { responses: Record<string, unknown> }>)[method]!;
  const response = deref<{ content: Record<string, { examples: Record<string, unknown> }> }>(spec, operation.responses[String(status)]);
  return deref<{ value: unknown }>(spec, response.content["application/json"]!.examples[name]).value;
}

const post = (fake: { fetch: typeof fetch }, prefer: string, data: Record<string, unknown> = { email: "ana.free@clinic-a.test", city: "Lima" }) =>
  fake.fetch(`${BASE}/api/v1/users`, {
    method: "POST",
    headers: { "content-type": "application/json", "cv-api-key": KEY_A, prefer },
    body: JSON.stringify({ action: "UPDATE_PROFILE", data }),
  });
const search = (fake: { fetch: typeof fetch }, prefer: string) =>
  fake.fetch(`${BASE}/api/v1/users?email=ana`, { headers: { "cv-api-key": KEY_A, prefer } });

describe("Prefer: example=NAME on the API path", () => {
  it("answers the named 200 and 400 examples of POST /api/v1/users, changes nothing, and journals the exchange", async () => {
    const fake = createFake();
    const before = fake.state();
    const success = await post(fake, "example=vendorExample");
    expect([success.status, await json(success)]).toEqual([200, exampleValue("post", 200, "vendorExample")]);
    const partial = await post(fake, "example=partialUpdate");
    expect([partial.status, await json(partial)]).toEqual([200, exampleValue("post", 200, "partialUpdate")]);
    const failure = await post(fake, "example=phoneNumberInUse");
    expect([failure.status, await json(failure)]).toEqual([400, exampleValue("post", 400, "phoneNumberInUse")]);
    expect(fake.state()).toEqual(before);
    const journal = fake.requests();
    expect(journal.map((entry) => [entry.status, entry.outcome])).toEqual([
      [200, "example:vendorExample"],
      [200, "example:partialUpdate"],
      [400, "example:phoneNumberInUse"],
    ]);
    expect(journal[0]!.body).toMatchObject({ data: { city: "Lima" } });
  });

  it("with code=… picks that status's example of the name, with its required headers", async () => {
    const fake = createFake();
    const aligned401 = await post(fake, "code=401, example=alignedAnswer");
    expect([aligned401.status, await json(aligned401)]).toEqual([401, exampleValue("post", 401, "alignedAnswer")]);
    const aligned400 = await post(fake, "example=alignedAnswer; code=400");
    expect([aligned400.status, await json(aligned400)]).toEqual([400, exampleValue("post", 400, "alignedAnswer")]);
    const limited = await post(fake, "code=429, example=injectedFault");
    expect([limited.status, limited.headers.get("retry-after"), await json(limited)]).toEqual([429, "1", exampleValue("post", 429, "injectedFault")]);
  });

  it("answers every named example the answer check accepts (the contract's examples are valid answers)", async () => {
    const fake = createFake({ checkAnswers: true });
    for (const status of contract.documentedStatuses("/api/v1/users", "post")) {
      const operation = (spec.paths["/api/v1/users"] as Record<string, { responses: Record<string, unknown> }>).post!;
      const response = deref<{ content?: Record<string, { examples?: Record<string, unknown> }> }>(spec, operation.responses[String(status)]);
      for (const name of Object.keys(response.content?.["application/json"]?.examples ?? {})) {
        const reply = await post(fake, `code=${status}, example=${name}`);
        expect([name, reply.status], `${status} ${name}`).toEqual([name, status]);
        expect(await json(reply)).toEqual(exampleValue("post", status, name));
      }
    }
  });

  it("answers the named examples of GET /api/v1/users too, late when a delay goes with it", async () => {
    const fake = createFake();
    const page = await search(fake, "example=vendorExample, delay=1");
    expect([page.status, await json(page)]).toEqual([200, exampleValue("get", 200, "vendorExample")]);
    const refused = await search(fake, "example=invalidSearchQuery");
    expect([refused.status, await json(refused)]).toEqual([400, exampleValue("get", 400, "invalidSearchQuery")]);
    expect(fake.requests().map((entry) => entry.outcome)).toEqual(["example:vendorExample", "example:invalidSearchQuery"]);
  });

  it("refuses an unknown name with 400 in the envelope, naming the examples there are", async () => {
    const fake = createFake();
    const unknown = await post(fake, "example=noSuchExample");
    const body = await json(unknown);
    expect([unknown.status, body.success]).toEqual([400, false]);
    expect(body.message).toMatch(
      /^Invalid fault: Prefer: example=noSuchExample: POST \/api\/v1\/users has no example of that name; known: 200: vendorExample, partialUpdate; 400: .*phoneNumberInUse/,
    );
    const wrongStatus = await post(fake, "code=200, example=phoneNumberInUse");
    expect((await json(wrongStatus)).message).toBe(
      "Invalid fault: Prefer: example=phoneNumberInUse: status 200 of POST /api/v1/users has no example of that name; known: 200: vendorExample, partialUpdate",
    );
    const searchUnknown = await search(fake, "example=partialUpdate");
    expect((await json(searchUnknown)).message).toMatch(/GET \/api\/v1\/users has no example of that name; known: 200: vendorExample; 400: /);
    const withFault = await post(fake, "example=vendorExample, fault=reset");
    expect([withFault.status, (await json(withFault)).message]).toEqual([
      400,
      "Invalid fault: Prefer header: example=vendorExample answers an example; leave out fault=reset",
    ]);
    expect(fake.requests().map((entry) => entry.outcome)).toEqual(["invalidFault", "invalidFault", "invalidFault", "invalidFault"]);
  });

  it("still leaves the rules to answer when the header asks for nothing of ours", async () => {
    const fake = createFake();
    const reply = await post(fake, "return=minimal", { email: "ana.free@clinic-a.test", city: "Quito" });
    expect([reply.status, (await json(reply)).data.user.city]).toEqual([200, "Quito"]);
  });
});
