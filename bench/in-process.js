// The fake without a socket: createFake().fetch driven in this process, beside a bare in-process baseline that does
// the same in-memory work as bench/baseline-server.js behind the same WHATWG Request/Response objects. Requests are
// sent one after another (no sockets, no concurrency), for a fixed time, cycling through a workload.
import { createFake } from "../dist/index.js";
import { baselineAnswer, usersByEmail } from "./baseline-work.js";
import { defaultFixtures } from "./fixtures.js";

/** The baseline's work (see baseline-server.js) as a fetch: parse, find the user in a Map, merge, answer. */
export function createBaselineFetch() {
  const byEmail = usersByEmail(defaultFixtures());
  return async (input, init) => {
    const { status, text } = baselineAnswer(byEmail, await new Request(input, init).text());
    return new Response(text, {
      status,
      headers: { "content-type": "application/json; charset=utf-8", "content-length": String(Buffer.byteLength(text)) },
    });
  };
}

/** Requests per second of one fetch over a workload (autocannon-style request objects), for `seconds`. */
export async function drive(fetchFn, workload, seconds) {
  const requests = workload.map((r) => ({
    url: `http://fake.local${r.path}`,
    init: { method: r.method, headers: r.headers, body: r.body },
    expected: r.expected,
  }));
  let sent = 0;
  let unexpected = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) {
      const r = requests[sent % requests.length];
      const response = await fetchFn(r.url, r.init);
      await response.text();
      if (response.status !== r.expected) unexpected++;
      sent++;
    }
  }
  return { reqPerSec: Math.round(sent / seconds), unexpected };
}

/** The in-process figures: the fake with the journal on and off, and the baseline, over both workloads. */
export async function measureInProcess(workloads, seconds) {
  const targets = {
    baseline: () => createBaselineFetch(),
    fake: () => createFake().fetch,
    "fake, journal off": () => createFake({ journal: 0 }).fetch,
  };
  const out = {};
  for (const [name, make] of Object.entries(targets)) {
    out[name] = {};
    for (const [workload, requests] of Object.entries(workloads)) {
      await drive(make(), requests, Math.min(1, seconds / 4)); // warm the JIT on a throwaway instance
      out[name][workload] = await drive(make(), requests, seconds);
    }
  }
  return out;
}
