/**
 * @module fake/create-fake
 * The fake in-process: its own state, journal and faults, and a WHATWG `fetch` that runs the fake's core with no
 * socket. Two fakes never share anything, so tests that run concurrently each get their own.
 * `startFakeServer` is this plus a node:http listener.
 */
import { realpathSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { loadContract, type Contract } from "../contract/contract.js";
import { answerChecksFromEnv } from "./core/answer-check.js";
import { createAnswerBook } from "./core/answer-book.js";
import { createFakeCore, type FakeCore } from "./core/fake-core.js";
import { faultProblem } from "./core/check-fault.js";
import { delayProblem, type Delay } from "./core/delay.js";
import { FaultSet, type Fault, type FaultSpec } from "./core/faults.js";
import { DEFAULT_JOURNAL_SIZE, RequestJournal, type JournalEntry, type JournalFilter } from "./core/request-journal.js";
import { createInProcessFetch } from "./in-process-fetch.js";
import { compileMatcher, type RequestMatcher } from "./journal/match-request.js";
import { countRequests, findRequests, verifyRequests, type VerifyOptions } from "./journal/verify-requests.js";
import { ruleConfigFrom, type RuleConfig, type RuleName } from "./rules/rule-config.js";
import { collectGarbage } from "./state/collect-garbage.js";
import { FakeStore, type CommitResult } from "./state/fake-store.js";
import { checkFixtures, DEFAULT_FIXTURES_PATH, fixturesFromValue, loadFixturesFile, type LoadedFixtures } from "./state/load-fixtures.js";
import { StateFile, StateFileError } from "./state/state-file.js";
import type { FixtureAnswers, Fixtures, FixtureSet } from "./state/types.js";

export const DEFAULT_BODY_LIMIT = 100 * 1024;

export interface FakeOptions {
  /**
   * A fixtures file path, or the fixtures themselves; the built-in fixtures/default.json by default. Their
   * `answers` section, if any, sets how the fake answers where the vendor page is silent (FixtureAnswers).
   */
  fixtures?: string | Fixtures;
  /**
   * Keep the state in this file across restarts: a snapshot, and a change log beside it (`<file>.log`) that each
   * change is appended to and flushed before it is answered. One fake per file. See docs/reliability.md.
   */
  persist?: string;
  /**
   * With `persist`: bytes of change log after which a new snapshot is written (by default half the snapshot's
   * size, and 64 KiB at least). Env CV_FAKE_PERSIST_LOG_LIMIT for `serve`.
   */
  persistLogLimit?: number;
  /** Largest request body accepted, in bytes (100 KiB by default). */
  bodyLimit?: number;
  /** How many requests the journal keeps (1,000 by default); 0 turns it off. */
  journal?: number;
  /** Answer every API request this late: milliseconds, or `{ min, max }` for a random delay in between. */
  delay?: number | Delay;
  /** Hold every answer against openapi.yaml before it leaves; on when CV_FAKE_CHECK_ANSWERS=1. */
  checkAnswers?: boolean;
  /** Switch rules off, to check that a conformance run notices. Never for real use. */
  disableRules?: readonly RuleName[];
}

export interface FakeFaults {
  /** Injects a fault (see FaultSpec in openapi.yaml); throws with what to change when the spec is not one. */
  add(spec: FaultSpec): Fault;
  list(): Fault[];
  remove(id: string): boolean;
  clear(): void;
}

export interface Fake {
  /** A WHATWG fetch served by this fake, with no socket (any origin: only the path counts). */
  fetch: typeof globalThis.fetch;
  /** The live state (read it, do not change it: use the admin API or reset). */
  state(): FixtureSet;
  /** The fixtures' answers section: where the fake answers like a deployment instead of as openapi.yaml infers. */
  answers: Readonly<FixtureAnswers>;
  /** Back to the fixtures; the journal is emptied and the faults removed. */
  reset(): void;
  /** The request journal, oldest first (see JournalEntry in openapi.yaml). */
  requests(filter?: JournalFilter): JournalEntry[];
  /**
   * The journal's requests that match every part of `matcher` (RequestMatcher in openapi.yaml), oldest first, at
   * most 1,000; throws MatcherError saying what is wrong with a matcher that is not one.
   */
  findRequests(matcher: RequestMatcher): JournalEntry[];
  /** How many of the journal's requests match `matcher`. */
  countRequests(matcher: RequestMatcher): number;
  /**
   * WireMock's verify: throws VerificationError unless `times` requests match (at least 1 when left out), its
   * message naming the closest requests the fake saw and the parts of the matcher each fails.
   * @example fake.verify({ method: "POST", data: { email: "alice@example.com" } }, { times: 1 });
   */
  verify(matcher: RequestMatcher, options?: VerifyOptions): void;
  clearRequests(): void;
  faults: FakeFaults;
  /** With `persist`: the state file, and whether this start created it from the fixtures. */
  stateFile?: { path: string; created: boolean };
  /** Releases the state file and ends requests left hanging by a fault. */
  close(): Promise<void>;
}

/** What startFakeServer builds its listener from. */
export interface FakeParts {
  fake: Fake;
  contract: Contract;
  core: FakeCore;
  store: FakeStore;
  journal: RequestJournal;
  faults: FaultSet;
  /** The rules as this fake applies them (some may be switched off). */
  rules: RuleConfig;
  bodyLimit: number;
  /** Like fake.reset, reporting a state file that cannot be written instead of throwing. */
  resetAll(): CommitResult;
  dropHanging(): void;
}

/**
 * @example
 * const fake = createFake();
 * const client = createClient({ baseUrl: "http://fake", apiKey: "cvk_test_clinic_a_4f1c2d9e", fetch: fake.fetch });
 */
export function createFake(options: FakeOptions = {}): Fake {
  return assembleFake(options).fake;
}

export function assembleFake(options: FakeOptions = {}): FakeParts {
  const contract = loadContract();
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  if (!Number.isInteger(bodyLimit) || bodyLimit < 1) throw new RangeError(`bodyLimit must be a whole number of bytes, 1 or more (got ${bodyLimit}).`);
  const delay = typeof options.delay === "number" ? { ms: options.delay } : options.delay;
  const delayIssue = delay && delayProblem(contract, delay);
  if (delayIssue) throw new RangeError(`delay: ${delayIssue}.`);
  // The journal redacts any value equal to a key the fake knows now (the admin API can add keys).
  let knownKeys: { state: unknown; keys: string[] } = { state: undefined, keys: [] };
  const secrets = () => {
    const state = store.state;
    if (knownKeys.state !== state) knownKeys = { state, keys: state.apiKeys.map((k) => k.id) };
    return knownKeys.keys;
  };
  const journal = new RequestJournal(options.journal ?? DEFAULT_JOURNAL_SIZE, { secrets });

  if (options.persist && typeof options.fixtures === "string" && samePath(options.persist, options.fixtures)) {
    // The state file holds records only: it would overwrite the fixtures, and their answers section with them.
    throw new StateFileError(`The state file must not be the fixtures file (${options.persist}): give persist another path.`);
  }
  const fixtures = resolveFixtures(contract, options.fixtures);
  const logLimit = options.persistLogLimit;
  if (logLimit !== undefined && !(Number.isInteger(logLimit) && logLimit >= 1))
    throw new RangeError(`persistLogLimit must be a whole number of bytes, 1 or more (got ${logLimit}).`);
  const { store, created } = openStore(contract, fixtures, options.persist, logLimit);
  if (fixtures.large) collectGarbage();

  // The one check of a fault: fake.faults.add and POST /__admin/faults both add through this set.
  const faults = new FaultSet((spec) => faultProblem(contract, spec));
  const rules = ruleConfigFrom(contract, options.disableRules);
  const core = createFakeCore({
    contract,
    store,
    rules,
    answers: createAnswerBook(contract, structuredClone(fixtures.answers)),
    journal,
    faults,
    bodyLimit,
    ...(delay ? { delay } : {}),
    checkAnswers: options.checkAnswers ?? answerChecksFromEnv(),
  });
  const inProcess = createInProcessFetch(core);

  const resetAll = (): CommitResult => {
    const result = store.reset();
    if (result.ok) {
      journal.clear();
      faults.clear();
    }
    return result;
  };
  const fake: Fake = {
    fetch: inProcess.fetch,
    state: () => store.state,
    answers: frozen(fixtures.answers),
    reset: () => {
      const result = resetAll();
      if (!result.ok) throw new StateFileError(result.detail);
    },
    requests: (filter) => journal.read(filter).requests,
    findRequests: (matcher) => findRequests(journal, compileMatcher(contract, matcher)),
    countRequests: (matcher) => countRequests(journal, compileMatcher(contract, matcher)),
    verify: (matcher, verifyOptions) => verifyRequests(contract, journal, matcher, verifyOptions),
    clearRequests: () => journal.clear(),
    faults: {
      add: (spec) => faults.add(spec),
      list: () => faults.list(),
      remove: (id) => faults.remove(id),
      clear: () => faults.clear(),
    },
    ...(options.persist ? { stateFile: { path: store.stateFilePath!, created } } : {}),
    close: async () => {
      store.close(); // from now on nothing is written, and a successor may take the state file
      inProcess.close(); // every waiting request settled, every later one refused
    },
  };
  return { fake, contract, core, store, journal, faults, rules, bodyLimit, resetAll, dropHanging: inProcess.dropHanging };
}

/** The store on the fixtures, or on the state file when it holds a state already. */
function openStore(
  contract: Contract,
  fixtures: LoadedFixtures,
  persist: string | undefined,
  logLimit: number | undefined,
): { store: FakeStore; created: boolean } {
  if (!persist) return { store: ready(new FakeStore(fixtures.state, fixtures.reload)), created: false };
  const { file, contents, replayed, tornBytes } = StateFile.open(persist);
  if (tornBytes > 0)
    console.error(
      `[cv-contract-kit] ${file.logPath}: dropped a torn last line (${tornBytes} bytes, never answered: the fake stopped while writing it)`,
    );
  let initial = fixtures.state;
  if (contents !== undefined) {
    try {
      // The state file holds records only: the answers always come from the fixtures.
      const { answers: _ignored, ...records } = checkFixtures(contract, contents, `state file ${file.path}`);
      initial = records;
    } catch (error) {
      file.release();
      throw new StateFileError(`${(error as Error).message} It was left as it is; fix it or delete it.`);
    }
  }
  const store = new FakeStore(initial, fixtures.reload, file, { replayed, ...(logLimit !== undefined ? { logLimit } : {}) });
  const created = initial === fixtures.state;
  try {
    if (created) store.saveInitial(); // first start: write the state file at once
  } catch (error) {
    store.close();
    throw error;
  }
  return { store: ready(store), created };
}

/** Builds the rules' index now, not on the first request. */
function ready(store: FakeStore): FakeStore {
  store.view();
  return store;
}

function resolveFixtures(contract: Contract, fixtures: string | Fixtures | undefined): LoadedFixtures {
  if (fixtures === undefined) return loadFixturesFile(contract, DEFAULT_FIXTURES_PATH);
  if (typeof fixtures === "string") return loadFixturesFile(contract, fixtures);
  return fixturesFromValue(contract, fixtures);
}

/** A deep-frozen copy: reading `fake.answers` cannot change what the fake answers. */
function frozen(answers: FixtureAnswers): Readonly<FixtureAnswers> {
  const copy = structuredClone(answers);
  for (const answer of Object.values(copy)) Object.freeze(answer);
  return Object.freeze(copy);
}

/** Whether two paths name one file (through links too), or would. */
function samePath(a: string, b: string): boolean {
  const real = (path: string) => {
    try {
      return realpathSync(path);
    } catch {
      return resolvePath(path);
    }
  };
  return real(a) === real(b);
}
