// The fake without a socket: createFake().fetch driven in this process, beside a bare in-process baseline that does
// the same in-memory work as bench/baseline-server.js behind the same WHATWG Request/Response objects. Requests are
// sent one after another (no sockets, no concurrency), for a fixed time, cycling through a workload.
import { createFake } from "../dist/index.js";
import { defaultFixtures } from "./fixtures.js";

/** The baseline's work (see baseline-server.js) as a fetch: parse, find the user in a Map, merge, answer. */
export function createBaselineFetch() {
  const state = defaultFixtures();
  const byEmail = new Map(state.users.map((u) => [u.email.toLowerCase(), u]));
  return async (input, init) => {
    const request = new Request(input, init);
    const text = await request.text();
    let status = 200;
    let body;
    try {
      const data = JSON.parse(text).data;
      const user = byEmail.get(String(data.email).toLowerCase());
      if (!user) {
        status = 400;
        body = { status, success: false, message: `User ${data.email} does not exist` };
      } else {
        for (const [k, v] of Object.entries(data)) if (k !== "email") user[k] = v;
        body = { status, success: true, message: "Profile updated successfully", data: { user } };
      }
    } catch (error) {
      status = 400;
      body = { status, success: false, message: `Request body is not valid JSON: ${error.message}` };
    }
    const answer = JSON.stringify(body);
    return new Response(answer, { status, headers: { "content-type": "application/json; charset=utf-8", "content-length": String(Buffer.byteLength(answer)) } });
  };
}

/** Requests per second of one fetch over a workload (autocannon-style request objects), for `seconds`. */
export async function drive(fetchFn, workload, seconds) {
  const requests = workload.map((r) => ({ url: `http://fake.local${r.path}`, init: { method: r.method, headers: r.headers, body: r.body }, expected: r.expected }));
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
