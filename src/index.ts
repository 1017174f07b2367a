/**
 * @module cv-contract-kit
 * Public entry point: the typed client, the compiled contract, the fake server and the conformance runner.
 */

// ---- Client (also alone, browser-safe: cv-contract-kit/client) ----
export { createClient } from "./client/create-client.js";
export { failureKind } from "./client/failure-kind.js";
export type { FailureKind } from "./client/failure-kind.js";
export { MESSAGES } from "./generated/messages.js";
export type { MessageName } from "./generated/messages.js";
export type {
  CallOptions,
  CareValidateClient,
  CareValidateClientOptions,
  ErrorEnvelope,
  UpdateProfileData,
  UpdateProfileResult,
  UpdateProfileSuccess,
  User,
} from "./client/create-client.js";

// ---- Contract ----
export { loadContract, UPDATE_PROFILE_METHOD, UPDATE_PROFILE_PATH } from "./contract/contract.js";
export type { Contract } from "./contract/contract.js";
export type { components, paths } from "./generated/openapi.js";

// ---- Fake: in-process (createFake) or on a port (startFakeServer); MSW handlers: cv-contract-kit/msw ----
export { createFake, DEFAULT_BODY_LIMIT } from "./fake/create-fake.js";
export type { Fake, FakeFaults, FakeOptions } from "./fake/create-fake.js";
export { startFakeServer } from "./fake/start-fake-server.js";
export type { FakeServer, FakeServerOptions } from "./fake/start-fake-server.js";
export { FakeNetworkError } from "./fake/in-process-fetch.js";
export { defaultFixtures, withDefaultFixtures } from "./fake/state/default-fixtures.js";
export { DEFAULT_JOURNAL_SIZE } from "./fake/core/request-journal.js";
export type { JournalEntry, JournalFilter } from "./fake/core/request-journal.js";
export { FaultError } from "./fake/core/faults.js";
export { MatcherError } from "./fake/journal/match-request.js";
export type { RequestMatcher, TextPattern, ValuePattern, PartDifference } from "./fake/journal/match-request.js";
export { VerificationError } from "./fake/journal/verify-requests.js";
export type { NearMiss, VerifyOptions, VerifyTimes } from "./fake/journal/verify-requests.js";
export type { Delay, Fault, FaultSpec } from "./fake/core/faults.js";
export { RULE_NAMES } from "./fake/rules/rule-config.js";
export type { RuleName } from "./fake/rules/rule-config.js";
export type { AlignedAnswer, FixtureAnswers, Fixtures, FixtureSet, StoredUser, Case, CaseStatus, Organization, ApiKey } from "./fake/state/types.js";

// ---- Conformance ----
export { runConformance, DEFAULT_SCENARIOS_DIR } from "./conformance/run-conformance.js";
export type { ConformanceOptions } from "./conformance/run-conformance.js";
export { loadScenarios } from "./conformance/scenario.js";
export type { Scenario, Step, Expectation } from "./conformance/scenario.js";
export { loadTarget, checkTarget } from "./conformance/target.js";
export type { Target, Account } from "./conformance/target.js";
export { planScenarios } from "./conformance/plan.js";
export type { ConformanceEvent, ConformanceSummary, ScenarioResult, ScenarioStatus } from "./conformance/results.js";
export { ACCOUNT_ROLES } from "./conformance/accounts.js";
export { createConsoleReporter } from "./conformance/reporters/console-reporter.js";
export { createRedactor } from "./conformance/redact.js";
export { writeJunitReport } from "./conformance/reporters/junit-reporter.js";
export { writeJsonReport } from "./conformance/reporters/json-reporter.js";
