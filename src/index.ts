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
