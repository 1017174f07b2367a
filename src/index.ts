/**
 * @module cv-contract-kit
 * Public entry point: the typed client, the compiled contract, the fake server and the conformance runner.
 */

// ---- Client ----
export { createClient } from "./client/create-client.js";
export type {
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

// ---- Fake server ----
export { startFakeServer, DEFAULT_BODY_LIMIT } from "./fake/start-fake-server.js";
export type { FakeServer, FakeServerOptions } from "./fake/start-fake-server.js";
export { RULE_NAMES } from "./fake/rules/rule-config.js";
export type { RuleName } from "./fake/rules/rule-config.js";
export type { FixtureSet, StoredUser, Case, CaseStatus, Organization, ApiKey } from "./fake/state/types.js";
