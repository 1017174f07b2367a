/**
 * @module cv-contract-kit/client
 * The browser-safe entry: the typed client, the contract's messages and failureKind. It loads openapi-fetch and
 * nothing of Node (a test walks its import graph to keep it so).
 */
export { createClient } from "./create-client.js";
export type {
  CallOptions,
  CareValidateClient,
  CareValidateClientOptions,
  ErrorEnvelope,
  UpdateProfileData,
  UpdateProfileResult,
  UpdateProfileSuccess,
  User,
} from "./create-client.js";
export { failureKind } from "./failure-kind.js";
export type { FailureKind } from "./failure-kind.js";
export { MESSAGES } from "../generated/messages.js";
export type { MessageName } from "../generated/messages.js";
