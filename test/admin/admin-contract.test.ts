// Finding 11: the admin contract is usable by a test generator. Each POST body is tied to its collection, `id` is
// required on create, 405 is listed nowhere it cannot happen, and each documented failure a request can express comes
// with a named request example paired with the response example of the same name. The last test does what a
// generator does: it sends every named request example to the fake, in the document's order, and expects the
// paired response.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadContract } from "../../src/index.js";
import { matchesTemplate } from "../../src/contract/messages.js";
import { deref } from "../../src/contract/pointer.js";
import { createFake } from "../../src/index.js";
import { adminSpecPath, json, KEY_A, toReply } from "../support/http.js";
import { useFakeServer } from "../support/use-fake.js";

const contract = loadContract();
const { spec } = contract;

type Example = { value: unknown };
type Parameter = { name: string; in: string; examples?: Record<string, Example> };
type MediaType = { schema?: { $ref?: string; oneOf?: unknown }; examples?: Record<string, Example> };
type Operation = {
  operationId: string;
  parameters?: unknown[];
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, unknown>;
};
type Response = { content?: Record<string, MediaType> };

const METHODS = ["get", "post", "put", "patch", "delete"];
const adminOperations = Object.entries(spec.paths)
  .filter(([path]) => path.startsWith("/__admin/"))
  .flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ path, method, operation: operation as Operation })),
  );

const parametersOf = (operation: Operation) => (operation.parameters ?? []).map((p) => deref<Parameter>(spec, p));
const bodyOf = (operation: Operation) => operation.requestBody?.content["application/json"];
const responseExamples = (operation: Operation) =>
  Object.entries(operation.responses).flatMap(([status, ref]) =>
    Object.entries(deref<Response>(spec, ref).content?.["application/json"]?.examples ?? {}).map(([name, example]) => ({
      name,
      status: Number(status),
      example: example as Example & { $ref?: string },
    })),
  );
/** Names of the request examples: of the body, and of the parameters. */
const requestExampleNames = (operation: Operation) =>
  new Set([...Object.keys(bodyOf(operation)?.examples ?? {}), ...parametersOf(operation).flatMap((p) => Object.keys(p.examples ?? {}))]);

describe("the admin contract", () => {
  it("has one path per collection; each POST body is its collection's record, id required; PATCH and PUT never carry the id", () => {
    const schemas = { organizations: "Organization", apiKeys: "ApiKey", users: "StoredUser", cases: "Case" };
    for (const [collection, schema] of Object.entries(schemas)) {
      const post = spec.paths[`/__admin/${collection}`]!.post as Operation;
      expect(bodyOf(post)!.schema).toEqual({ $ref: `#/components/schemas/${schema}` });
      expect(spec.components.schemas[schema]!.required).toContain("id");
      const record = spec.paths[`/__admin/${collection}/{id}`]!;
      for (const [method, body] of [
        ["patch", `${schema}Patch`],
        ["put", `${schema}Replacement`],
      ] as const) {
        expect(bodyOf(record[method] as Operation)!.schema).toEqual({ $ref: `#/components/schemas/${body}` });
        expect(Object.keys(spec.components.schemas[body]!.properties!)).not.toContain("id");
        expect(spec.components.schemas[body]!.additionalProperties).toBe(false);
      }
    }
    expect(JSON.stringify(adminOperations.map((o) => bodyOf(o.operation)?.schema ?? {}))).not.toContain("oneOf");
  });

  it("lists 405 on no admin operation (an undescribed method is answered 405, as info.description says)", () => {
    for (const { path, method, operation } of adminOperations) expect(Object.keys(operation.responses), `${method} ${path}`).not.toContain("405");
  });

  it("documents the Location header of every 201", () => {
    for (const { operation } of adminOperations.filter((o) => o.operation.responses["201"])) {
      expect((operation.responses["201"] as { headers?: Record<string, { required?: boolean }> }).headers?.Location?.required).toBe(true);
    }
  });

  // The failures a request valid against the schemas can meet: a taken id, email or phone number, a reference to
  // nothing, the users of a deleted organization. A generator cannot find these from the schemas, so each has a pair.
  const SEMANTIC_400 = [
    "adminCreateOrganization",
    "adminCreateApiKey",
    "adminCreateUser",
    "adminCreateCase",
    "adminPatchApiKey",
    "adminPatchUser",
    "adminPatchCase",
    "adminReplaceApiKey",
    "adminReplaceUser",
    "adminReplaceCase",
    "adminDeleteOrganization",
    // A fault whose delay range is reversed (min > max): JSON Schema cannot compare two fields.
    "adminAddFault",
    // A matcher whose regex does not compile, or could backtrack exponentially: JSON Schema cannot say either.
    "adminFindRequests",
    "adminCountRequests",
  ];

  it("pairs each success, each 404 and each failure of a schema-valid request with a named request example", () => {
    const unpaired: string[] = [];
    const paired400: string[] = [];
    for (const { path, method, operation } of adminOperations) {
      const names = requestExampleNames(operation);
      const examples = responseExamples(operation);
      for (const { name, status } of examples) {
        if (!names.has(name)) unpaired.push(`${method.toUpperCase()} ${path} ${status} ${name}`);
        else if (status === 400) paired400.push(operation.operationId);
      }
      const hasInput = operation.requestBody !== undefined || parametersOf(operation).length > 0; // GET /db has none
      for (const status of [...(hasInput ? ["200", "201"] : []), "404"]) {
        if (!operation.responses[status]) continue;
        const paired = examples.some((e) => String(e.status) === status && names.has(e.name));
        expect(paired, `${method.toUpperCase()} ${path} ${status}: no request example paired with a response example`).toBe(true);
      }
    }
    expect(paired400.sort()).toEqual([...SEMANTIC_400].sort());
    // The rest is what a generator derives from the schemas (invalid values) or what an example cannot carry: a header
    // (Origin, Content-Type), a body that is not JSON or too large, an undeclared query parameter, a slow client, a full disk.
    const described = [
      "400 invalidRecord",
      "400 badQuery",
      "400 malformedJson",
      "403 adminForbidden",
      "408 requestTimeout",
      "413 payloadTooLarge",
      "415 unsupportedMediaType",
      "503 stateNotSaved",
    ];
    for (const line of unpaired) expect(described, line).toContain(line.split(" ").slice(2).join(" "));
    expect(adminOperations.length, "the admin operations were read from openapi.yaml").toBeGreaterThan(0);
  });
});

describe("every named request example of the admin API, sent to the fake", () => {
  const fake = useFakeServer();

  it("gets the status and body of the response example of the same name", async () => {
    fake().reset();
    let sent = 0;
    for (const { path, method, operation } of adminOperations) {
      const parameters = parametersOf(operation);
      const body = bodyOf(operation);
      const responses = responseExamples(operation);
      // The shutdown example stops the fake: test/admin/health-shutdown.test.ts sends it, to a fake of its own.
      if (operation.operationId === "adminShutdown") continue;
      for (const name of requestExampleNames(operation)) {
        const paired = responses.find((r) => r.name === name);
        expect(paired, `${operation.operationId} ${name}: no response example`).toBeDefined();
        let url = path;
        const query = new URLSearchParams();
        for (const p of parameters) {
          const value = p.examples?.[name]?.value;
          if (value === undefined) continue;
          if (p.in === "path") url = url.replace(`{${p.name}}`, encodeURIComponent(String(value)));
          else query.set(p.name, String(value));
        }
        const requestBody = body?.examples?.[name]?.value;
        const response = await fetch(`${fake().url}${url}${query.size > 0 ? `?${query}` : ""}`, {
          method: method.toUpperCase(),
          headers: operation.requestBody ? { "content-type": "application/json" } : {},
          body: requestBody === undefined ? undefined : JSON.stringify(requestBody),
        });
        const reply = await toReply(response);
        sent++;
        const where = `${operation.operationId} example ${name} → ${reply.status} ${reply.text.slice(0, 200)}`;
        expect(reply.status, where).toBe(paired!.status);
        expect(adminSpecPath(url.replace("/__admin", ""))).toBe(path);
        const expected = deref<Example>(spec, paired!.example).value as { message?: string };
        if (paired!.status < 300) expect(reply.body, where).toEqual(expected);
        else expect(matchesTemplate(expected.message!, {}, reply.body.message), `${where}: ${JSON.stringify(reply.body.message)}`).toBe(true);
      }
    }
    // Every named example was sent (none skipped by a loop that found nothing), and docs/reliability.md quotes the count.
    const named = adminOperations
      .filter((o) => o.operation.operationId !== "adminShutdown")
      .reduce((n, o) => n + requestExampleNames(o.operation).size, 0);
    expect(sent).toBe(named);
    const quoted = /Each of the (\d+) named request examples of the admin API/.exec(
      readFileSync(new URL("../../docs/reliability.md", import.meta.url), "utf8"),
    );
    expect(Number(quoted?.[1]), "docs/reliability.md quotes how many named request examples are sent").toBe(sent);
  });
});

// What a generator such as Specmatic reads of the whole document (every path, not only the admin API): a request
// example is sent only with a response example of the same name, and a response example that leaves out a required
// header makes it refuse the whole contract before any test (R2001).
describe("the whole contract, as a generator reads it", () => {
  type HeaderSpec = { required?: boolean; examples?: Record<string, unknown> };
  type FullResponse = { headers?: Record<string, unknown>; content?: Record<string, MediaType> };
  const allOperations = Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => [...METHODS, "head"].includes(method))
      .map(([method, operation]) => ({ path, method, operation: operation as Operation })),
  );
  const requestNames = (operation: Operation) =>
    new Set([
      ...Object.values(operation.requestBody?.content ?? {}).flatMap((media) => Object.keys(media.examples ?? {})),
      ...parametersOf(operation).flatMap((p) => Object.keys(p.examples ?? {})),
    ]);
  const responsesOf = (operation: Operation) =>
    Object.entries(operation.responses).map(([status, ref]) => ({ status, response: deref<FullResponse>(spec, ref) }));
  const responseNames = (response: FullResponse) => Object.values(response.content ?? {}).flatMap((media) => Object.keys(media.examples ?? {}));

  it("pairs every named request example with a response example of the same name", () => {
    const unpaired = allOperations.flatMap(({ path, method, operation }) => {
      const answered = new Set(responsesOf(operation).flatMap(({ response }) => responseNames(response)));
      return [...requestNames(operation)].filter((name) => !answered.has(name)).map((name) => `${method.toUpperCase()} ${path} ${name}`);
    });
    expect(unpaired).toEqual([]);
  });

  it("gives each required response header an example of the name of each paired response example", () => {
    const missing = allOperations.flatMap(({ path, method, operation }) => {
      const names = requestNames(operation);
      return responsesOf(operation).flatMap(({ status, response }) =>
        responseNames(response)
          .filter((name) => names.has(name))
          .flatMap((name) =>
            Object.entries(response.headers ?? {})
              .filter(([, header]) => deref<HeaderSpec>(spec, header).required && !deref<HeaderSpec>(spec, header).examples?.[name])
              .map(([header]) => `${method.toUpperCase()} ${path} ${status} ${name}: ${header}`),
          ),
      );
    });
    expect(missing).toEqual([]);
  });

  it("writes FaultSpec's alternatives as objects with their properties, not bare required lists", () => {
    const faultSpec = deref<{ anyOf: { type?: string; required?: string[]; properties?: Record<string, unknown> }[] }>(spec, {
      $ref: "#/components/schemas/FaultSpec",
    });
    for (const alternative of faultSpec.anyOf) {
      expect(alternative.type).toBe("object");
      for (const name of alternative.required ?? []) expect(alternative.properties, name).toHaveProperty(name);
    }
  });

  it("has a harmless Prefer example: sent as a generator sends it, the answer is the one without it", async () => {
    const prefer = deref<{ example: string }>(spec, { $ref: "#/components/parameters/Prefer" }).example;
    const [plain, preferred] = [createFake(), createFake()];
    const send = (fake: typeof plain, headers: Record<string, string>) =>
      fake.fetch("http://fake.invalid/api/v1/users", {
        method: "POST",
        headers: { "content-type": "application/json", "cv-api-key": KEY_A, ...headers },
        body: JSON.stringify({ action: "UPDATE_PROFILE", data: { email: "ana.free@clinic-a.test", city: "Lima" } }),
      });
    const started = Date.now();
    const [without, withIt] = [await send(plain, {}), await send(preferred, { prefer })];
    expect([withIt.status, await json(withIt)]).toEqual([without.status, await json(without)]);
    expect(preferred.requests()[0]!.outcome).toBe("success");
    expect(Date.now() - started).toBeLessThan(5_000); // no delay asked: the bound only stops a hang
    const search = await preferred.fetch("http://fake.invalid/api/v1/users?email=ana", { headers: { "cv-api-key": KEY_A, prefer } });
    expect(search.status).toBe(200);
  });
});
