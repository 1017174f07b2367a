// One check of a fault: each fault request example of openapi.yaml (read from the spec, not copied), and a few
// faults the schema refuses, get the same verdict from fake.faults.add in-process and from POST /__admin/faults over
// HTTP: accepted, or refused with the same words.
import { afterEach, describe, expect, it } from "vitest";
import { loadContract } from "../../src/contract/contract.js";
import { deref, readPointer } from "../../src/contract/pointer.js";
import { fillTemplate } from "../../src/contract/messages.js";
import { createFake, FaultError } from "../../src/index.js";
import { json, KEY_A } from "../support/http.js";
import { useFakeServer } from "../support/use-fake.js";

const contract = loadContract();
const spec = contract.spec;
const addFaultExamples = deref<Record<string, unknown>>(
  spec,
  readPointer(spec, "/paths/~1__admin~1faults/post/requestBody/content/application~1json/examples"),
);
const examples = Object.entries(addFaultExamples).map(([name, example]) => [name, deref<{ value: unknown }>(spec, example).value] as const);

type Verdict = { accepted: true } | { accepted: false; message: string };

const server = useFakeServer();
const inProcess = createFake();
afterEach(() => inProcess.reset());

function addInProcess(fault: unknown): Verdict {
  try {
    inProcess.faults.add(fault as Parameters<typeof inProcess.faults.add>[0]);
    return { accepted: true };
  } catch (error) {
    if (!(error instanceof FaultError)) throw error;
    // The admin API says the same detail inside openapi.yaml's invalidFault message.
    return { accepted: false, message: fillTemplate(contract.message("invalidFault").template, { detail: error.message }) };
  }
}

async function addOverHttp(fault: unknown): Promise<Verdict> {
  const response = await fetch(`${server().url}/__admin/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(fault),
  });
  if (response.status === 201) return { accepted: true };
  expect(response.status).toBe(400);
  return { accepted: false, message: ((await json(response)) as { message: string }).message };
}

describe("openapi.yaml's fault request examples", () => {
  it("are there to send (POST /__admin/faults documents some)", () => {
    expect(examples.map(([name]) => name)).toEqual(expect.arrayContaining(["nextIsUnavailable", "invalidFault"]));
  });

  it.each(examples)("%s: the same verdict in-process and over HTTP", async (name, value) => {
    const local = addInProcess(value);
    const remote = await addOverHttp(value);
    expect(remote).toEqual(local);
    // An example named after the refusal is refused; the others are faults.
    expect(local.accepted).toBe(name !== "invalidFault");
  });
});

describe("faults the schema refuses, refused both ways with the same words", () => {
  const refused: [string, unknown, RegExp][] = [
    [
      "too many times and an empty email (issue 22)",
      { status: 503, times: 5e6, email: "" },
      /email must NOT have fewer than 1 characters; times must be <= 1000000/,
    ],
    ["nothing asked", {}, /a fault needs a delay, a status or an effect/],
    ["a status and an effect", { status: 503, effect: "hang" }, /give a status or an effect, not both/],
    ["retryAfter without 429", { status: 500, retryAfter: 3 }, /retryAfter goes with status 429/],
    ["a status no fault forces", { status: 418 }, /status must be one of 429, 500, 502, 503/],
    ["an effect the registry lacks", { effect: "explode" }, /effect must be one of hang, reset, empty, malformedJson/],
    ["a delay too long", { delay: { ms: 60_001 } }, /delay must be .*whole milliseconds from 0 to 60000/],
    ["a delay range reversed", { delay: { min: 9, max: 1 } }, /delay\.min must not be more than delay\.max/],
    ["a property FaultSpec lacks", { status: 503, colour: "red" }, /must not have the property "colour"/],
    ["not an object", [503], /must be object/],
  ];
  it.each(refused)("%s", async (_name, fault, words) => {
    const local = addInProcess(fault);
    expect(local).toEqual({ accepted: false, message: expect.stringMatching(words) });
    expect(await addOverHttp(fault)).toEqual(local);
  });

  it("leaves no fault in force after a refusal", async () => {
    addInProcess({ status: 503, times: 5e6, email: "" });
    await addOverHttp({ status: 503, times: 5e6, email: "" });
    expect(inProcess.faults.list()).toEqual([]);
    expect(server().faults.list()).toEqual([]);
  });
});

describe("a Prefer header's fault, checked by the same validator", () => {
  const cases: [prefer: string, admin: unknown][] = [
    ["fault=explode", { effect: "explode" }],
    ["code=418", { status: 418 }],
    ["code=503, fault=hang", { status: 503, effect: "hang" }],
    ["delay=400-100", { delay: { min: 400, max: 100 } }],
    ["delay=70000", { delay: { ms: 70_000 } }],
  ];
  const search = (fetcher: typeof fetch, base: string, prefer: string) =>
    fetcher(`${base}/api/v1/users`, { headers: { "cv-api-key": KEY_A, prefer } });
  it.each(cases)("Prefer: %s is refused in the words POST /__admin/faults uses for the same fault", async (prefer, fault) => {
    const byAdmin = await addOverHttp(fault);
    expect(byAdmin.accepted).toBe(false);
    const detail = (byAdmin as { message: string }).message.replace(/^Invalid fault: /, "");
    for (const answer of [await search(fetch, server().url, prefer), await search(inProcess.fetch, "http://fake", prefer)]) {
      expect([answer.status, ((await json(answer)) as { message: string }).message]).toEqual([400, `Invalid fault: Prefer header: ${detail}`]);
    }
  });
});
