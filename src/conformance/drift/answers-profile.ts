/**
 * @module conformance/drift/answers-profile
 * What side B answered where the vendor page is silent, as a fixtures file's `answers` section (FixtureAnswers in
 * openapi.yaml): start the fake with it and the fake answers like B. Only the inferred answers openapi.yaml lets a
 * fixtures file set are taken; the documented ones are the page's and stay. An answer the fake could not give as
 * B gave it (a placeholder it cannot fill, a status it may not use) is left out, with the reason.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
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
 * The fixtures the profile will go into: the file's, or `baseFixtures` when the file does not exist yet. Throws, with
 * what to do, when the file cannot take a profile; drift calls this before it runs, so a bad path is known at once.
 */
export function profileBase(contract: Contract, file: string, baseFixtures: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT") throw new Error(`${file} cannot be read (${code ?? (error as Error).message}): give a fixtures file, or a path that does not exist yet`);
    text = readFileSync(baseFixtures, "utf8");
  }
  let fixtures: unknown;
  try {
    fixtures = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON (${(error as Error).message}): give a fixtures file, or a path that does not exist yet`);
  }
  if (!fixtures || typeof fixtures !== "object" || Array.isArray(fixtures)) throw new Error(`${file} is not a fixtures file (a JSON object: see FixtureSet in openapi.yaml)`);
  const { answers: _replaced, ...records } = fixtures as Record<string, unknown>;
  const issues = contract.schemaValidator(FIXTURE_SET)(records);
  if (issues.length > 0) throw new Error(`${file} is not a valid fixtures file, so it was left as it is: ${formatIssues(issues)}`);
  return records;
}

/**
 * Sets the `answers` section of a fixtures file to the profile, keeping the rest of it (see profileBase). The file
 * is written atomically (temp file, rename), so a failure leaves it as it was; a missing folder is created.
 */
export function writeAnswersProfile(contract: Contract, file: string, profile: AnswersProfile, baseFixtures: string): void {
  const updated = { ...profileBase(contract, file, baseFixtures), answers: profile.answers };
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(resolve(file)), { recursive: true });
    writeFileSync(temp, `${JSON.stringify(updated, null, 2)}\n`);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`could not write ${file}${code ? ` (${code})` : `: ${(error as Error).message}`}`);
  }
}
