// The suite's verdict on a space of deployments nobody here wrote the way it reads them: test/support/variants is an
// independent Express + zod implementation where every choice the vendor page leaves open is a knob drawn from a
// seed. The seeds are printed; replay with CV_VARIANT_SEED=<base> (CV_VARIANTS=<how many>, CV_VARIANTS_PER_BREAK=<n>).
import { describe, expect, it } from "vitest";
import { explain, pool, runOnVariant, variantKnobs, type VariantRun } from "../support/variant-runs.js";

const BASE = Number(process.env.CV_VARIANT_SEED ?? Math.floor(Math.random() * 2 ** 31));
const COUNT = Number(process.env.CV_VARIANTS ?? 200);
const WIDTH = 4;
console.log(`[variants] base seed ${BASE}: ${COUNT} conforming variants (replay: CV_VARIANT_SEED=${BASE})`);

const verdicts = (runs: readonly VariantRun[], check: (run: VariantRun) => string | undefined) =>
  runs.map((run) => check(run)).filter((p): p is string => p !== undefined);

describe("deployments that follow the page and differ wherever it is silent", () => {
  it(`conform: exit 0 and nothing left changed on each of ${COUNT} seeded variants`, { timeout: 1_200_000 }, async () => {
    const seeds = Array.from({ length: COUNT }, (_, i) => BASE + i);
    const runs = await pool(seeds, WIDTH, (seed) => runOnVariant(seed, variantKnobs(seed)));
    const wrong = verdicts(runs, (run) =>
      run.summary.exitCode !== 0
        ? explain(run, "a conforming variant did not conform")
        : run.changed.length > 0
          ? explain(run, "the run left it changed")
          : undefined,
    );
    expect(wrong, wrong.join("\n\n")).toEqual([]);
    // Both ways of reading were met.
    expect(new Set(runs.map((r) => r.summary.readMethod))).toEqual(new Set(["search", "update"]));
  });

  it("with generated requests too: exit 0 and nothing left changed", { timeout: 600_000 }, async () => {
    const seeds = Array.from({ length: 8 }, (_, i) => BASE + COUNT + i);
    const runs = await pool(seeds, WIDTH, (seed) => runOnVariant(seed, variantKnobs(seed), undefined, { runs: 300, seed }));
    const wrong = verdicts(runs, (run) =>
      run.summary.exitCode !== 0 || run.changed.length > 0 ? explain(run, "a conforming variant did not pass the generated requests") : undefined,
    );
    expect(wrong, wrong.join("\n\n")).toEqual([]);
  });
});
