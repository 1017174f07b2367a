// The suite's verdict on a space of deployments nobody here wrote the way it reads them: test/support/variants is an
// independent Express + zod implementation where every choice the vendor page leaves open is a knob drawn from a
// seed. The seeds are printed; replay with CV_VARIANT_SEED=<base> (CV_VARIANTS=<how many>, CV_VARIANTS_PER_BREAK=<n>).
import { describe, expect, it } from "vitest";
import { explain, pool, runOnVariant, variantKnobs, type VariantRun } from "../support/variant-runs.js";
import { BREAKS, type Break } from "../support/variants/index.js";

const BASE = Number(process.env.CV_VARIANT_SEED ?? Math.floor(Math.random() * 2 ** 31));
const SAMPLE = Number(process.env.CV_VARIANTS_PER_BREAK ?? 3);
const WIDTH = 4;
console.log(`[variants] base seed ${BASE}: ${SAMPLE} variants per planted break (replay: CV_VARIANT_SEED=${BASE})`);

/**
 * Breaks that fire on the update a read is made of where the target offers no search: the first read is already the
 * damage, and nothing can see it (the "the suite's first read destroys what it meant to protect"). Where
 * the target offers the vendor's search, reads write nothing and the suite must catch them: those variants offer it.
 */
const FIRE_ON_READS: ReadonlySet<Break> = new Set(["clears-unsent-fields", "email-only-clears-address", "clears-address2"]);
/** A staff account can only be watched through search: the endpoint rightly refuses to read it otherwise. */
const SEEN_THROUGH_SEARCH: ReadonlySet<Break> = new Set(["staff-refused-but-applied"]);
/**
 * Writes to one user land on every user of the organization: no restore through the endpoint can put them all back
 * (each restore lands on all again). The suite must find it and say RESTORE FAILED with the commands: exit 2.
 */
const UNRESTORABLE: ReadonlySet<Break> = new Set(["update-reaches-whole-organization"]);

/**
 * A break that clears every field an update does not send, on an account holding a value the endpoint now refuses (a
 * legacy `state: "New York"`): that value cannot be sent back through the endpoint, by the suite or anyone. The
 * suite must find the break and say RESTORE FAILED with the old values: exit 2.
 */
const destroysTheUnsendable = (run: VariantRun) => run.break === "clears-unsent-fields" && run.knobs.accounts.legacyStateOn === "updatableUser";

const verdicts = (runs: readonly VariantRun[], check: (run: VariantRun) => string | undefined) =>
  runs.map((run) => check(run)).filter((p): p is string => p !== undefined);

describe("a planted break of one documented rule", () => {
  it(
    `fail each of the ${BREAKS.length} planted breaks (exit 1), on ${SAMPLE} variants each, and leave nothing changed`,
    { timeout: 900_000 },
    async () => {
      const jobs = BREAKS.flatMap((broken, b) => Array.from({ length: SAMPLE }, (_, i) => ({ broken, seed: BASE + 100_000 + b * SAMPLE + i })));
      const runs = await pool(jobs, WIDTH, ({ broken, seed }) => {
        const search = FIRE_ON_READS.has(broken) || SEEN_THROUGH_SEARCH.has(broken) ? { search: "date" as const } : {};
        return runOnVariant(seed, variantKnobs(seed, search), broken);
      });
      const wrong = verdicts(runs, (run) => {
        const s = run.summary;
        if (UNRESTORABLE.has(run.break!) || destroysTheUnsendable(run)) {
          const found = s.results.some((r) => r.status === "failed");
          return found && s.exitCode === 2 && s.restoreFailures > 0 ? undefined : explain(run, "an unrestorable break was not found and said so");
        }
        if (s.exitCode !== 1) return explain(run, "a planted break did not fail the run");
        return run.changed.length > 0 ? explain(run, "the run left it changed") : undefined;
      });
      expect(wrong, wrong.join("\n\n")).toEqual([]);
    },
  );
});
