/**
 * @module conformance/drift/answers-profile
 * What side B answered where the vendor page is silent, as a fixtures file's `answers` section (FixtureAnswers in
 * openapi.yaml): start the fake with it and the fake answers like B. Only the inferred answers openapi.yaml lets a
 * fixtures file set are taken; the documented ones are the page's and stay. An answer the fake could not give as
 * B gave it (a placeholder it cannot fill, a status it may not use) is left out, with the reason.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import type { Contract } from "../../contract/contract.js";
import { formatIssues } from "../../contract/validators.js";
import type { Redact } from "../redact.js";
import type { DriftComparison } from "./compare-runs.js";

export interface AlignedAnswer {
  status: number;
  message: string;
}

export interface AnswersProfile {
  /** Answer name → how B gives it. */
  answers: Record<string, AlignedAnswer>;
  /** Answers B gave that the fake cannot copy, each with the reason. */
  leftOut: { name: string; reason: string }[];
}

const ALIGNED_ANSWER = "/components/schemas/AlignedAnswer";
const FIXTURE_SET = "/components/schemas/FixtureSet";

/** B's answers, for every alignable kind of failure B was seen to give. */
export function answersProfileOf(contract: Contract, comparison: DriftComparison, redact: Redact = (t) => t): AnswersProfile {
  const validAnswer = contract.schemaValidator(ALIGNED_ANSWER);
  const profile: AnswersProfile = { answers: {}, leftOut: [] };
  for (const w of comparison.wording) {
    const placeholders = contract.alignableAnswers[w.name];
    if (!placeholders || w.b === undefined || w.statusB === undefined) continue;
    const answer = { status: w.statusB, message: redact(w.b) };
    const unknown = [...answer.message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).filter((p) => !placeholders.includes(p));
    const issues = validAnswer(answer);
    if (unknown.length > 0) profile.leftOut.push({ name: w.name, reason: `its wording ${JSON.stringify(answer.message)} varies in a part the fake cannot fill ({${unknown.join("}, {")}})` });
    else if (issues.length > 0) profile.leftOut.push({ name: w.name, reason: `${answer.status} ${JSON.stringify(answer.message)} is not an answer the fake may give: ${formatIssues(issues)}` });
    else profile.answers[w.name] = answer;
  }
  return profile;
}

/**
 * Sets the `answers` section of a fixtures file to the profile, keeping the rest of the file. A file that does not
 * exist yet starts from `baseFixtures` (the built-in fixtures). The result is checked against FixtureSet before it
 * is written, and written atomically (temp file, rename), so a failure leaves the file as it was.
 */
export function writeAnswersProfile(contract: Contract, file: string, profile: AnswersProfile, baseFixtures: string): void {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`could not read ${file}: ${(error as Error).message}`);
    text = readFileSync(baseFixtures, "utf8");
  }
  let fixtures: unknown;
  try {
    fixtures = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON (${(error as Error).message}): give a fixtures file, or a path that does not exist yet`);
  }
  if (!fixtures || typeof fixtures !== "object" || Array.isArray(fixtures)) throw new Error(`${file} is not a fixtures file (a JSON object: see FixtureSet in openapi.yaml)`);
  const updated = { ...(fixtures as Record<string, unknown>), answers: profile.answers };
  const issues = contract.schemaValidator(FIXTURE_SET)(updated);
  if (issues.length > 0) throw new Error(`${file} is not a valid fixtures file, so it was left as it is: ${formatIssues(issues)}`);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, `${JSON.stringify(updated, null, 2)}\n`);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new Error(`could not write ${file}: ${(error as Error).message}`);
  }
}
