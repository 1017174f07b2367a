// For a test file: start servers freely; every one started in a test is closed after it.
import { afterEach } from "vitest";

export function closedAfterEach<O, S extends { close(): Promise<void> }>(start: (options: O) => Promise<S>): (options: O) => Promise<S> {
  const started: S[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((server) => server.close()));
  });
  return async (options) => {
    const server = await start(options);
    started.push(server);
    return server;
  };
}
