// Runs the conformance suite against variant deployments (test/support/variants) and says, in one line each, where
// its verdict was not what the variant calls for.
import { checkTarget, runConformance, type ConformanceSummary } from "../../src/index.js";
import { exercisable } from "./exercisable.js";
import { breakRule, describeKnobs, drawKnobs, knobsForBreaks, startVariant, type Break, type Knobs } from "./variants/index.js";

export interface VariantRun {
  seed: number;
  break?: Break;
  knobs: Knobs;
  summary: ConformanceSummary;
  /** "email.field" for every stored field that differs from before the run, once queued writes have landed. */
  changed: string[];
}

/** The knobs of a seed as a QA team would meet them (see exercisable), waits short enough for a test. */
export function variantKnobs(seed: number, adjust: Partial<Knobs> = {}): Knobs {
  // A Retry-After of 1 s on every 15th request is the same code path as 0 s, and 20 s of sleeping a run.
  return { ...exercisable(drawKnobs(seed)), retryAfterSeconds: 0, ...adjust };
}

export async function runOnVariant(seed: number, knobs: Knobs, broken?: Break, fuzz?: { runs: number; seed: number }): Promise<VariantRun> {
  const deployed = broken ? knobsForBreaks(knobs, [broken]) : knobs;
  const d = await startVariant({ knobs: deployed, breaks: broken ? [broken] : [] });
  try {
    const before = d.profiles();
    const summary = await runConformance({
      baseUrl: d.url,
      apiKey: d.apiKey,
      otherApiKey: d.otherApiKey,
      target: checkTarget(d.target),
      timeoutMs: 3000,
      ...(fuzz ? { fuzz } : {}),
    });
    await d.settled();
    const after = d.profiles();
    const changed = Object.keys(before).flatMap((email) =>
      Object.keys(before[email]!)
        .filter((f) => JSON.stringify(before[email]![f]) !== JSON.stringify(after[email]?.[f]))
        .map((f) => `${email}.${f}`),
    );
    return { seed, ...(broken ? { break: broken } : {}), knobs: deployed, summary, changed };
  } finally {
    await d.close();
  }
}

/** Runs the jobs `width` at a time (the suite mostly waits on the network and on lagging reads). */
export async function pool<T, R>(jobs: readonly T[], width: number, run: (job: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, jobs.length) }, async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await run(jobs[i]!);
      }
    }),
  );
  return results;
}

/** Why a run is not what was expected, with what is needed to replay it; undefined when it is. */
export function explain(run: VariantRun, problem: string): string {
  const { summary: s } = run;
  const findings = s.results
    .filter((r) => r.status === "failed" || r.status === "error" || (r.restore && !r.restore.ok) || r.skipKind === "unavailable")
    .map((r) => {
      const checks = r.steps.flatMap((st) =>
        st.checks
          .filter((c) => !c.ok && (c.tier === "documented" || c.always))
          .map((c) => `${c.check}: ${(c.message ?? "").replace(/\s+/g, " ").slice(0, 200)}`),
      );
      return `    ${r.status} ${r.id}${r.reason ? ` (${r.reason.slice(0, 200)})` : ""}${checks.length ? `\n      ${[...new Set(checks)].join("\n      ")}` : ""}`;
    });
  return [
    `seed ${run.seed}${run.break ? ` with ${run.break} (${breakRule(run.break)})` : ""}: ${problem}; exit ${s.exitCode}, reads by ${s.readMethod}${run.changed.length ? `, left changed: ${run.changed.join(", ")}` : ""}`,
    ...(s.fatal ? [`    fatal: ${s.fatal}`] : []),
    ...(s.stoppedWriting ? [`    stopped writing: ${s.stoppedWriting}`] : []),
    ...findings,
    `    knobs: ${describeKnobs(run.knobs)}`,
  ].join("\n");
}
