/**
 * @module conformance/drift/answers-profile
 * What side B answered where the vendor page is silent, as a fixtures file's `answers` section (FixtureAnswers in
 * openapi.yaml): start the fake with it and the fake answers like B. Only the inferred answers openapi.yaml lets a
 * fixtures file set are taken; the documented ones are the page's and stay. An answer the fake could not give as
 * B gave it (a placeholder it cannot fill, a status it may not use, two statuses) is left out, with the reason.
 */
import { lstatSync, readFileSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { unknownPlaceholders } from "../../contract/aligned-answers.js";
import type { Contract } from "../../contract/contract.js";
import type { MessageName } from "../../contract/messages.js";
import type { components } from "../../generated/openapi.js";
import { toPointer } from "../../contract/pointer.js";
import { formatIssues } from "../../contract/validators.js";
import { REDACTED, type Redact } from "../redact.js";
import { visible } from "../reporters/visible.js";
import { writeReportFile } from "../reporters/write-report-file.js";
import type { DriftComparison, WordingComparison } from "./compare-runs.js";

/** One answer of a fixtures file's answers section (AlignedAnswer in openapi.yaml). */
export type AlignedAnswer = components["schemas"]["AlignedAnswer"];

export interface AnswersProfile {
  /** Answer name → how B gives it. */
  answers: Record<string, AlignedAnswer>;
  /** Answers B gave that the fake cannot copy, each with the reason. */
  leftOut: { name: string; reason: string }[];
}

const FIXTURE_SET = "/components/schemas/FixtureSet";
/** The fake's detail text next to {detail} is taken out of B's wording when it is at least this long. */
const SHARED_DETAIL = 8;

/** B's answers, for every alignable kind of failure B was seen to give. */
export function answersProfileOf(contract: Contract, comparison: DriftComparison, redact: Redact = (t) => t): AnswersProfile {
  const profile: AnswersProfile = { answers: {}, leftOut: [] };
  for (const w of comparison.wording) {
    if (!contract.alignableAnswers[w.name]) continue;
    const answer = alignedAnswer(contract, w, redact);
    if ("reason" in answer) profile.leftOut.push({ name: w.name, reason: answer.reason });
    else profile.answers[w.name] = answer;
  }
  return profile;
}

function alignedAnswer(contract: Contract, w: WordingComparison, redact: Redact): AlignedAnswer | { reason: string } {
  if (w.b === undefined || w.statusB === undefined) {
    return { reason: w.statusesB.length > 0 ? `B answered ${w.statusesB.join(", ")} with no message in the envelope` : "B gave no answer" };
  }
  if (w.statusesB.length > 1)
    return { reason: `B answers it with ${w.statusesB.join(" or ")}, depending on the request; the fake gives one status per answer` };
  if (w.examplesB.some((text) => /\{\w+\}/.test(text))) return { reason: "B's own words hold {…}, which the fake would read as a placeholder" };
  const own = withoutSharedDetail(w.b, w.a, contract.message(w.name as MessageName).template);
  // Redacted before anything is learned: an answer holding the key, or a piece of it in any case, is not learned at all.
  if (redact(own) !== own || own.includes(REDACTED)) return { reason: "B repeats the API key it was sent; the fake never echoes a key" };
  // Control, format and bidi characters would be served raw to every client of the fake.
  if (visible(own) !== own)
    return { reason: `B's wording ${quote(visible(own))} holds control or format characters, which the fake would serve to every client` };
  const message = own;
  const unknown = unknownPlaceholders(contract, w.name, message);
  if (unknown.includes("key")) return { reason: "B repeats the API key it was sent; the fake never echoes a key" };
  if (unknown.length > 0) return { reason: `B's wording ${quote(message)} varies in a part the fake cannot fill ({${unknown.join("}, {")}})` };
  if (/[{}]/.test(message.replace(/\{\w+\}/g, "")))
    return { reason: `B's wording ${quote(message)} has braces, which the fake keeps for placeholders` };
  const answer = { status: w.statusB, message } as AlignedAnswer; // its status is checked against the answer's schema next
  const issues = contract.schemaValidator(toPointer(["components", "schemas", "FixtureAnswers", "properties", w.name]))(answer);
  if (issues.length > 0) return { reason: `${answer.status} ${quote(message)} is not an answer the fake may give: ${formatIssues(issues)}` };
  return answer;
}

/**
 * B's template without the detail text the fake (A) also gave next to {detail}: two services on the same JSON
 * parser both say "Expected ',' or '}' after property value …", and the fake fills {detail} with that text itself.
 * The fake's detail is what its template has around {detail} beyond openapi.yaml's wording (`own`).
 */
function withoutSharedDetail(b: string, a: string | undefined, own: string): string {
  const [before, after] = split(b);
  const [beforeA, afterA] = split(a ?? "");
  const [ownBefore, ownAfter] = split(own);
  if (before === undefined || beforeA === undefined || ownBefore === undefined || !beforeA.startsWith(ownBefore) || !afterA!.endsWith(ownAfter!))
    return b;
  const detailBefore = beforeA.slice(ownBefore.length);
  const detailAfter = afterA!.slice(0, afterA!.length - ownAfter!.length);
  const trimmedBefore =
    detailBefore.length >= SHARED_DETAIL && before.endsWith(detailBefore) ? before.slice(0, before.length - detailBefore.length) : before;
  const trimmedAfter = detailAfter.length >= SHARED_DETAIL && after!.startsWith(detailAfter) ? after!.slice(detailAfter.length) : after!;
  return `${trimmedBefore}{detail}${trimmedAfter}`;
}

/** The text before and after the first {detail}, or [undefined, undefined]. */
function split(template: string): [string, string] | [undefined, undefined] {
  const at = template.indexOf("{detail}");
  return at < 0 ? [undefined, undefined] : [template.slice(0, at), template.slice(at + "{detail}".length)];
}

/** A message for a line of output: quoted, at most 120 characters. */
function quote(message: string): string {
  return JSON.stringify(message.length > 120 ? `${message.slice(0, 117)}…` : message);
}

/**
 * The fixtures the profile will go into: the file's, or `baseFixtures` when the file does not exist yet. Throws, with
 * what to do, when the file cannot take a profile; drift calls this before it runs, so a bad path is known at once.
 * Only the FixtureSet schema is checked here; `serve` checks the rest (unique ids, references) when it starts.
 */
export function profileBase(contract: Contract, file: string, baseFixtures: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT")
      throw new Error(`${file} cannot be read (${code ?? "unreadable"}): give a fixtures file, or a path that does not exist yet`);
    text = readFileSync(baseFixtures, "utf8");
  }
  let fixtures: unknown;
  try {
    fixtures = JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the file's first bytes, which may be anything (a .env file, say).
    throw new Error(`${file} is not JSON: give a fixtures file, or a path that does not exist yet`);
  }
  if (!fixtures || typeof fixtures !== "object" || Array.isArray(fixtures))
    throw new Error(`${file} is not a fixtures file (a JSON object: see FixtureSet in openapi.yaml)`);
  const issues = contract.schemaValidator(FIXTURE_SET)(fixtures);
  if (issues.length > 0) throw new Error(`${file} is not a valid fixtures file, so it was left as it is: ${formatIssues(issues)}`);
  return fixtures as Record<string, unknown>;
}

/**
 * Puts the profile's answers into a fixtures file's `answers` section, keeping the rest of the file and the answers
 * this run did not see (returned, to be named). The file is replaced atomically: a new temp file beside it (created
 * exclusively, never through a link), its mode kept, renamed over it; a file that is a link is written where the
 * link points. A missing folder is created.
 */
export function writeAnswersProfile(
  contract: Contract,
  file: string,
  profile: AnswersProfile,
  baseFixtures: string,
  tempName: (target: string) => string = (target) => `${target}.${randomBytes(6).toString("hex")}.tmp`,
  redact: Redact = (t) => t,
): { kept: string[]; dropped: string[] } {
  // The last line of defence: the fake serves these words to every client, so none may hold a key or a piece of one.
  for (const [name, answer] of Object.entries(profile.answers)) {
    if (redact(answer.message) !== answer.message || answer.message.includes(REDACTED))
      throw new Error(`the answer ${name} holds the API key or a piece of it, so nothing was written`);
    if (visible(answer.message) !== answer.message) throw new Error(`the answer ${name} holds control or format characters, so nothing was written`);
  }
  const base = profileBase(contract, file, baseFixtures);
  const previous = { ...((base.answers ?? {}) as Record<string, AlignedAnswer>) };
  // An answer B now gives in a way the fake cannot copy is no longer B's: the old one goes, and is named.
  const leftOut = new Set(profile.leftOut.map((l) => l.name));
  const dropped = Object.keys(previous).filter((name) => leftOut.has(name));
  for (const name of dropped) delete previous[name];
  const kept = Object.keys(previous).filter((name) => !(name in profile.answers));
  const updated = { ...base, answers: { ...previous, ...profile.answers } };
  const target = existingTarget(file);
  try {
    writeReportFile(target, `${JSON.stringify(updated, null, 2)}\n`, { mode: modeOf(target), tempPath: tempName(target) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`could not write ${file}${code ? ` (${code})` : ""}`);
  }
  return { kept, dropped };
}

/** Where to write: the file a link points to, even one not there yet (so the link stays a link), or the path itself. */
function existingTarget(file: string): string {
  let path = resolve(file);
  for (let hops = 0; hops < 40; hops++) {
    let link: string;
    try {
      if (!lstatSync(path).isSymbolicLink()) return realpathOrSelf(path);
      link = readlinkSync(path);
    } catch {
      return path; // nothing there yet: a new file
    }
    path = resolve(dirname(path), link);
  }
  throw Object.assign(new Error("too many symbolic links"), { code: "ELOOP" });
}

function realpathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The mode to keep: the file's own, or what the umask gives a new file. */
function modeOf(file: string): number {
  try {
    return statSync(file).mode & 0o777;
  } catch {
    return 0o666 & ~process.umask();
  }
}
