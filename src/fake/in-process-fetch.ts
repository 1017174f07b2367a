/**
 * @module fake/in-process-fetch
 * The fake as a WHATWG `fetch`, with no socket: hand it to openapi-fetch, to the conformance runner, to MSW, or to
 * an app under test. Any origin is accepted (only the path counts), so `http://fake/api/v1/users` works.
 * Faults behave as they do over HTTP: a delay waits (and honours the request's signal), `hang` waits until the
 * signal aborts or the fake closes, `reset` and `empty` reject the way Node's fetch does when a connection drops.
 * Closing settles every request still waiting (in a delay, a hang, or both), as a closed server drops its
 * connections; a fetch after close is refused, as a connection to a closed port is, and changes nothing.
 */
import type { FakeCore } from "./core/fake-core.js";
import { serializeAnswer, type FakeAnswer, type FakeRequest } from "./core/fake-request.js";

/** What `fetch` rejects with when a fault drops the connection: a TypeError, as Node's fetch (undici) rejects. */
export class FakeNetworkError extends TypeError {
  override name = "TypeError";
  constructor(
    readonly effect: "reset" | "empty" | "refused",
    readonly code = effect === "reset" ? "ECONNRESET" : effect === "refused" ? "ECONNREFUSED" : "UND_ERR_SOCKET",
  ) {
    const cause = Object.assign(
      new Error(effect === "reset" ? "read ECONNRESET" : effect === "refused" ? "connect ECONNREFUSED (the fake is closed)" : "other side closed"),
      { code },
    );
    super("fetch failed", { cause });
  }
}

/** Said in the 404 of any other path: the admin API and the pages need a listener. */
const IN_PROCESS_PATHS =
  "In-process, the fake serves GET and POST /api/v1/users only: use fake.reset(), fake.requests() and fake.faults, or startFakeServer() for the admin API";

export interface InProcessFetch {
  fetch: typeof globalThis.fetch;
  /** Ends every request that hangs (as closing a server drops its connections). */
  dropHanging(): void;
  /** Settles every request still waiting and refuses every later one. */
  close(): void;
}

export function createInProcessFetch(core: FakeCore): InProcessFetch {
  /** Every request waiting (in a delay or a hang), by how to end it. */
  const waiting = new Set<() => void>();
  const hanging = new Set<() => void>();
  let closed = false;
  const refuseIfClosed = () => {
    if (closed) throw new FakeNetworkError("refused");
  };

  async function fakeFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    refuseIfClosed();
    const request = new Request(input, init);
    const { signal } = request;
    signal.throwIfAborted();
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    const fakeRequest: FakeRequest = { method: request.method, path: url.pathname, query: url.search.slice(1), headers };

    const begun = core.begin(fakeRequest, IN_PROCESS_PATHS);
    let answer: FakeAnswer;
    if ("answer" in begun) answer = await begun.answer;
    else {
      const bytes = new Uint8Array(await request.arrayBuffer());
      refuseIfClosed(); // closed while the body was read: nothing is applied
      answer = await (bytes.length > begun.bodyLimit ? begun.tooLarge() : begun.finish(bytes));
    }
    // The client may have given up while the body was read: its signal fired before anyone listened.
    signal.throwIfAborted();
    if (answer.delayMs) await sleep(answer.delayMs, signal, waiting);
    if (answer.effect === "hang") await hang(signal);
    // Closed while the answer waited: the connection is gone, as over HTTP.
    if (closed) throw new FakeNetworkError("empty");
    if (answer.effect === "reset" || answer.effect === "empty") throw new FakeNetworkError(answer.effect);
    const { text, headers: responseHeaders } = serializeAnswer(answer);
    delete responseHeaders.connection;
    return new Response(text, { status: answer.status, headers: responseHeaders });
  }

  function hang(signal: AbortSignal): Promise<never> {
    return new Promise<never>((_, reject) => {
      if (closed) return reject(new FakeNetworkError("empty"));
      const drop = () => {
        hanging.delete(drop);
        reject(new FakeNetworkError("empty"));
      };
      hanging.add(drop);
      signal.addEventListener(
        "abort",
        () => {
          hanging.delete(drop);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  return {
    fetch: fakeFetch as typeof globalThis.fetch,
    dropHanging: () => [...hanging].forEach((drop) => drop()),
    close: () => {
      closed = true;
      for (const end of [...waiting, ...hanging]) end();
    },
  };
}

/** Waits ms; ends early (resolved, the caller then sees the fake closed) when `waiting`'s entry is called. */
function sleep(ms: number, signal: AbortSignal, waiting: Set<() => void>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const end = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", abort);
      waiting.delete(end);
      resolve();
    };
    const timer = setTimeout(end, ms);
    const abort = () => {
      clearTimeout(timer);
      waiting.delete(end);
      reject(signal.reason);
    };
    signal.addEventListener("abort", abort, { once: true });
    waiting.add(end);
  });
}
