/**
 * @module fake/state/collect-garbage
 * After a large fixtures file is read, its bytes and text are garbage, and so is the scratch data of the checks.
 * Collecting them at once keeps the peak RSS near the live state instead of depending on when V8 gets to it
 * (measured with 100,000 users: a steady 169 MB at startup instead of 162–197 MB; docs/benchmarks.md).
 * Only large fixture sets pay for it: a collection of a small heap is not worth a call.
 *
 * Library code never turns on a process-wide V8 flag: in someone's own process (createFake in their tests) the
 * collection happens only when that process already exposes `gc` (`node --expose-gc`). The `serve` command owns its
 * process, so it opts in with `exposeGarbageCollector()` (src/cli/serve.ts).
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Fixture files at least this large (characters of JSON) trigger a collection. */
export const LARGE_FIXTURES = 8_000_000;

let exposed: (() => void) | undefined;

/** For a process the kit owns (the CLI): makes `collectGarbage` work without `node --expose-gc`. */
export function exposeGarbageCollector(): void {
  if (exposed) return;
  // V8 exposes gc() to contexts created after the flag is set; Node documents setFlagsFromString for such flags.
  setFlagsFromString("--expose-gc");
  exposed = runInNewContext("gc") as () => void;
}

/** Collects now when the process allows it (exposeGarbageCollector, or `node --expose-gc`); otherwise does nothing. */
export function collectGarbage(): void {
  const gc = exposed ?? (globalThis as { gc?: () => void }).gc;
  gc?.();
}
