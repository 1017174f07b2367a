// One fake server for a test file: started before its tests, reset after each one, closed at the end.
import { afterAll, afterEach, beforeAll } from "vitest";
import { startFakeServer, type FakeServer, type FakeServerOptions } from "../../src/index.js";
import { closedAfterEach } from "./closed-after-each.js";

/** Returns a getter: the fake exists only once beforeAll has run. */
export function useFakeServer(options?: FakeServerOptions): () => FakeServer {
  let fake: FakeServer | undefined;
  beforeAll(async () => {
    fake = await startFakeServer(options);
  });
  afterEach(() => fake?.reset());
  afterAll(() => fake?.close());
  return () => {
    if (!fake) throw new Error("useFakeServer: the fake is not started yet; use it inside a test or a hook.");
    return fake;
  };
}

/** For a test file: start fake servers freely; every one started in a test is closed after it. */
export function useFakeServers(): (options?: FakeServerOptions) => Promise<FakeServer> {
  const start = closedAfterEach((options: FakeServerOptions) => startFakeServer(options));
  return (options = {}) => start(options);
}
