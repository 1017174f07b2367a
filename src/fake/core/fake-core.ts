/**
 * @module fake/core/fake-core
 * The fake without a transport: routes a request to the API pipelines (POST /api/v1/users, the update; GET, the
 * search of the vendor's search users page) or a 404, with the faults a tester asked
 * for, the request journal and, when on, the check of every answer against openapi.yaml. Adapters (node:http, the
 * in-process fetch, MSW) call `begin` when the headers are in, read the body only if asked to, and realize the
 * answer's delay and transport effect.
 */
import type { Contract } from "../../contract/contract.js";
import { UPDATE_PROFILE_PATH } from "../../contract/contract.js";
import { fillTemplate } from "../../contract/messages.js";
import type { RuleConfig } from "../rules/rule-config.js";
import type { FakeStore } from "../state/fake-store.js";
import { assertAnswer } from "./answer-check.js";
import type { AnswerBook } from "./answer-book.js";
import type { Answered, FakeAnswer, FakeRequest } from "./fake-request.js";
import { delayLength, type Delay } from "./delay.js";
import { faultAnswer, type FaultSet, type FaultSpec } from "./faults.js";
import { exampleAnswer } from "./prefer-example.js";
import { faultFromPrefer, type Preference } from "./prefer-header.js";
import { emailOf, type RequestJournal } from "./request-journal.js";
import { searchEmailOf } from "./search-query.js";
import { createSearchUsersPipeline } from "./search-users.js";
import { createUpdateProfilePipeline, type Admitted } from "./update-profile.js";

export const ADMIN_PREFIX = "/__admin";

/** What the adapter does next: answer now (the body is not read), or read the body and hand it over. */
export type Begun =
  | { answer: Answered }
  | {
      /** Largest body to read; past it, answer `tooLarge()` and close. */
      bodyLimit: number;
      finish(bytes: Uint8Array): Answered;
      tooLarge(): Answered;
    };

export interface FakeCoreOptions {
  contract: Contract;
  store: FakeStore;
  rules: RuleConfig;
  answers: AnswerBook;
  journal: RequestJournal;
  faults: FaultSet;
  bodyLimit: number;
  /** A delay for every API answer that no fault delays (serve --delay). */
  delay?: Delay;
  /** Hold every answer against openapi.yaml before it leaves (see answer-check). */
  checkAnswers?: boolean;
}

export interface FakeCore {
  /** `notFoundDetail`: what the transport serves, said in the 404 of any other path. */
  begin(req: FakeRequest, notFoundDetail?: string): Begun;
  isApiPath(path: string): boolean;
  isAdminPath(path: string): boolean;
}

export function createFakeCore(options: FakeCoreOptions): FakeCore {
  const { contract, store, rules, answers, journal, faults, bodyLimit } = options;
  const pipeline = createUpdateProfilePipeline({ contract, store, rules, answers, bodyLimit });
  const search = createSearchUsersPipeline({ contract, store, answers });
  const isApiPath = (path: string) => path === UPDATE_PROFILE_PATH || path === `${UPDATE_PROFILE_PATH}/`;
  const isAdminPath = (path: string) => path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`);

  /**
   * Every answer leaves through here: checked (when on), delayed (when asked), journaled. With persistence, an API
   * answer leaves only once the changes before it are on disk, so nothing is seen that a crash could still take back.
   */
  function settle(req: FakeRequest, arrivedAt: number, answer: Answered, bytes?: Uint8Array, admitted?: Admitted): Answered {
    if (answer instanceof Promise) return answer.then((saved) => settleNow(req, arrivedAt, saved, bytes, admitted));
    const pending = isApiPath(req.path) ? store.pending() : undefined;
    if (pending) return pending.then(() => settleNow(req, arrivedAt, answer, bytes, admitted));
    return settleNow(req, arrivedAt, answer, bytes, admitted);
  }

  function settleNow(req: FakeRequest, arrivedAt: number, answer: FakeAnswer, bytes?: Uint8Array, admitted?: Admitted): FakeAnswer {
    let settled = answer;
    if (options.checkAnswers && isApiPath(req.path)) {
      try {
        assertAnswer(contract, UPDATE_PROFILE_PATH, req.method, answer);
      } catch (error) {
        console.error(`[cv-contract-kit] ${(error as Error).message}`);
        settled = answers.error("answerBreaksContract", { detail: (error as Error).message });
      }
    }
    if (settled.delayMs === undefined && options.delay && isApiPath(req.path)) settled = { ...settled, delayMs: delayLength(options.delay)! };
    journal.record(req, bytes, settled, arrivedAt, admitted?.organizationId);
    return settled;
  }

  /** The answer a fault forces, if it forces one (a delay alone does not). */
  const faultContext = {
    injectedMessage: (status: number, reason: string) => fillTemplate(answers.message("injectedFault").template, { status: String(status), reason }),
  };
  const forcedBy = (fault: FaultSpec | undefined) => fault && faultAnswer(fault, faultContext);

  const preferOf = (req: FakeRequest) => faultFromPrefer(contract, req.headers.prefer);

  /** The named example `Prefer: example=…` asks for, as openapi.yaml writes it; a 400 naming the known ones if none. */
  function exampleOf(req: FakeRequest, example: NonNullable<Preference["example"]>): FakeAnswer {
    const found = exampleAnswer(contract, UPDATE_PROFILE_PATH, req.method, example.name, example.status);
    if ("problem" in found) return answers.error("invalidFault", { detail: found.problem });
    const delayMs = delayLength(example.delay);
    return delayMs === undefined ? found.answer : { ...found.answer, delayMs };
  }

  /** A fault's answer, or the rules' answer (late, if the fault is a delay alone). */
  function answerWithFault(req: FakeRequest, arrivedAt: number, fault: FaultSpec | undefined, bytes: Uint8Array): Answered {
    const forced = forcedBy(fault);
    if (forced) return settle(req, arrivedAt, forced, bytes);
    const head = pipeline.head(req);
    const answer = "answer" in head ? head.answer : pipeline.body(head.admitted, bytes);
    const delayMs = delayLength(fault?.delay);
    const delayed = delayMs === undefined ? answer : whenAnswered(answer, (done) => ({ ...done, delayMs }));
    return settle(req, arrivedAt, delayed, bytes, "admitted" in head ? head.admitted : undefined);
  }

  /** A search reads no body: its fault, if any, matches the email filter, and it answers at once. */
  function searchAnswer(req: FakeRequest, arrivedAt: number): Answered {
    const prefer = preferOf(req);
    if (prefer && "problem" in prefer) return settle(req, arrivedAt, answers.error("invalidFault", { detail: prefer.problem }));
    if (prefer?.example) return settle(req, arrivedAt, exampleOf(req, prefer.example));
    const fault = prefer?.fault ?? (faults.active ? faults.take(searchEmailOf(req.query)) : undefined);
    const forced = forcedBy(fault);
    if (forced) return settle(req, arrivedAt, forced);
    const { answer, organizationId } = search(req);
    const delayMs = delayLength(fault?.delay);
    return settle(
      req,
      arrivedAt,
      delayMs === undefined ? answer : { ...answer, delayMs },
      undefined,
      organizationId === undefined ? undefined : { organizationId },
    );
  }

  function beginApi(req: FakeRequest, arrivedAt: number): Begun {
    if (req.method === "GET") return { answer: searchAnswer(req, arrivedAt) };
    const refused = pipeline.checkMethod(req);
    if (refused) return { answer: settle(req, arrivedAt, refused) };
    const prefer = preferOf(req);
    if (prefer && "problem" in prefer) return { answer: settle(req, arrivedAt, answers.error("invalidFault", { detail: prefer.problem })) };
    if (prefer?.example) {
      // Like a fault, an example answers whatever the body says and changes nothing; the body is read for the journal.
      const example = prefer.example;
      return {
        bodyLimit,
        tooLarge: () => settle(req, arrivedAt, pipeline.tooLarge()),
        finish: (bytes) => settle(req, arrivedAt, exampleOf(req, example), bytes),
      };
    }

    if (prefer || faults.active) {
      // A fault may match data.email: the body is read before any other check, and a faulted request changes nothing.
      return {
        bodyLimit,
        tooLarge: () => settle(req, arrivedAt, pipeline.tooLarge()),
        finish: (bytes) => answerWithFault(req, arrivedAt, prefer?.fault ?? faults.take(emailOfBytes(bytes)), bytes),
      };
    }

    const head = pipeline.head(req);
    if ("answer" in head) return { answer: settle(req, arrivedAt, head.answer) };
    return {
      bodyLimit,
      tooLarge: () => settle(req, arrivedAt, pipeline.tooLarge(), undefined, head.admitted),
      finish: (bytes) => settle(req, arrivedAt, pipeline.body(head.admitted, bytes), bytes, head.admitted),
    };
  }

  return {
    isApiPath,
    isAdminPath,
    begin(req, notFoundDetail = `This server serves GET and POST ${UPDATE_PROFILE_PATH} and ${ADMIN_PREFIX}`) {
      const arrivedAt = Date.now();
      if (isApiPath(req.path)) return beginApi(req, arrivedAt);
      return { answer: settle(req, arrivedAt, answers.error("adminNotFound", { path: `${req.method} ${req.path}. ${notFoundDetail}` })) };
    },
  };
}

const utf8 = new TextDecoder();

/** `change` applied to an answer, now or once it is there. */
function whenAnswered(answer: Answered, change: (answer: FakeAnswer) => FakeAnswer): Answered {
  return answer instanceof Promise ? answer.then(change) : change(answer);
}

/** data.email of a body, if it is JSON and has one; never throws. */
function emailOfBytes(bytes: Uint8Array): string | undefined {
  try {
    return emailOf(JSON.parse(utf8.decode(bytes)));
  } catch {
    return undefined;
  }
}
