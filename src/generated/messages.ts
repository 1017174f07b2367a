// Generated from openapi.yaml (components.examples) by scripts/generate-messages.mjs: do not edit.
// Regenerate with `npm run generate`; `npm run lint` fails while this file is stale.

/** Every message the contract names: its status, its text ({email} and other {…} stand for values), and its tier. */
export const MESSAGES = {
  "injectedFault": {
    "status": 503,
    "template": "Fault injected by the fake server: {status} {reason}",
    "tier": "inferred"
  },
  "answerBreaksContract": {
    "status": 500,
    "template": "The fake server's answer breaks openapi.yaml: {detail}",
    "tier": "inferred"
  },
  "invalidMatcher": {
    "status": 400,
    "template": "Invalid request matcher: {detail}",
    "tier": "inferred"
  },
  "invalidFault": {
    "status": 400,
    "template": "Invalid fault: {detail}",
    "tier": "inferred"
  },
  "userDoesNotExist": {
    "status": 400,
    "template": "User {email} does not exist",
    "tier": "documented"
  },
  "userNotInOrganization": {
    "status": 400,
    "template": "User {email} does not exist in the organization",
    "tier": "documented"
  },
  "notAllowedToUpdateProfile": {
    "status": 400,
    "template": "Not allowed to update the profile",
    "tier": "documented"
  },
  "demographicFieldsLocked": {
    "status": 400,
    "template": "Cannot update user profile fields (firstName, lastName, dob, gender) for user with cases",
    "tier": "documented"
  },
  "phoneNumberInUse": {
    "status": 400,
    "template": "Unable to use this phone number. Please use a different one",
    "tier": "documented"
  },
  "missingApiKey": {
    "status": 400,
    "template": "Secret key not provided!",
    "tier": "inferred"
  },
  "unknownApiKey": {
    "status": 400,
    "template": "Organization with provided cv-api-key not found!",
    "tier": "inferred"
  },
  "malformedJson": {
    "status": 400,
    "template": "Request body is not valid JSON: {detail}",
    "tier": "inferred"
  },
  "invalidRequestBody": {
    "status": 400,
    "template": "Invalid request body: {detail}",
    "tier": "inferred"
  },
  "invalidSearchQuery": {
    "status": 400,
    "template": "Invalid search query: {detail}",
    "tier": "inferred"
  },
  "malformedHttpRequest": {
    "status": 400,
    "template": "Malformed HTTP request: {detail}",
    "tier": "inferred"
  },
  "methodNotAllowed": {
    "status": 405,
    "template": "Method {method} is not allowed on {path}. Use {allow}",
    "tier": "inferred"
  },
  "payloadTooLarge": {
    "status": 413,
    "template": "Request body is larger than {limit} bytes",
    "tier": "inferred"
  },
  "unsupportedMediaType": {
    "status": 415,
    "template": "Content-Type must be application/json (received {received})",
    "tier": "inferred"
  },
  "stateNotSaved": {
    "status": 503,
    "template": "State could not be saved, nothing was changed: {detail}",
    "tier": "inferred"
  },
  "adminNotFound": {
    "status": 404,
    "template": "Not found: {path}",
    "tier": "inferred"
  },
  "adminInvalid": {
    "status": 400,
    "template": "Invalid record: {detail}",
    "tier": "inferred"
  },
  "adminInvalidQuery": {
    "status": 400,
    "template": "Invalid query string: {detail}",
    "tier": "inferred"
  },
  "adminForbidden": {
    "status": 403,
    "template": "Cross-site request refused: {detail}",
    "tier": "inferred"
  },
  "requestTimeout": {
    "status": 408,
    "template": "Request timeout: {detail}",
    "tier": "inferred"
  }
} as const;

export type MessageName = keyof typeof MESSAGES;
