// Finding 7 of issue 24: closing the in-process fake left a request inside a delay + hang fault pending forever,
// let plain delays answer after close, and let a fetch after close answer 200 and change the state. close() now
// settles every waiting request, and any later fetch is refused (as a closed port refuses a connection).
import { describe, expect, it } from "vitest";
import { createFake } from "../../src/index.js";

const KEY = "cvk_test_clinic_a_4f1c2d9e";
const update = (fake: ReturnType<typeof createFake>, city: string) =>
  fake.fetch("http://fake/api/v1/users", {
    method: "POST",
    headers: { "content-type": "application/json", "cv-api-key": KEY },
    body: JSON.stringify({ action: "UPDATE_PROFILE", data: { email: "ana.free@clinic-a.test", city } }),
  });
/** How a promise settles within a bound (no timing asserted: a pending one is the failure). */
const settled = (p: Promise<Response>, ms = 5_000) =>
  Promise.race([
    p.then(
      (r) => `answered ${r.status}`,
      (e: Error) => `rejected ${e.name}: ${(e.cause as { code?: string } | undefined)?.code ?? e.message}`,
    ),
    new Promise((r) => setTimeout(() => r("still pending"), ms)),
  ]);

describe("closing the in-process fake", () => {
  it.each([
    ["a delay and a hang", { delay: { ms: 200 }, effect: "hang" as const }],
    ["a hang", { effect: "hang" as const }],
    ["a plain delay", { delay: { ms: 30_000 } }],
  ])("settles a request inside %s", async (_, spec) => {
    const fake = createFake();
    fake.faults.add(spec);
    const pending = update(fake, "Boston");
    await new Promise((r) => setTimeout(r, 20));
    await fake.close();
    expect(await settled(pending)).toBe("rejected TypeError: UND_ERR_SOCKET");
  });

  it("settles a request whose delay is still running when close comes, before the hang starts", async () => {
    const fake = createFake();
    fake.faults.add({ delay: { ms: 300 }, effect: "hang" });
    const pending = update(fake, "Boston");
    await fake.close(); // at once: the request is still in its delay
    expect(await settled(pending)).toMatch(/^rejected TypeError/);
  });

  it("refuses a fetch after close, and changes nothing", async () => {
    const fake = createFake();
    const before = JSON.stringify(fake.state());
    await fake.close();
    expect(await settled(update(fake, "Springfield"))).toBe("rejected TypeError: ECONNREFUSED");
    expect(JSON.stringify(fake.state())).toBe(before);
  });
});
