// The words a deployment of its own may say for the refusals the page does not document.
import type { RefusalKind } from "./knobs.js";

interface Words {
  messages: readonly string[];
  codes: readonly string[];
}

export const REFUSAL_WORDS: Record<RefusalKind, Words> = {
  missingKey: {
    messages: ["Secret key not provided!", "Missing cv-api-key header", "API key is required", "Unauthorized: no API key was sent"],
    codes: ["UNAUTHORIZED", "VALIDATION_ERROR", "MISSING_API_KEY", "AUTH_REQUIRED"],
  },
  emptyKey: {
    messages: ["Secret key not provided!", "The cv-api-key header is empty", "API key must not be blank"],
    codes: ["UNAUTHORIZED", "VALIDATION_ERROR", "INVALID_API_KEY"],
  },
  unknownKey: {
    messages: ["Organization not found", "Invalid API key", "Organization with this key not found!", "Unauthorized"],
    codes: ["NOT_FOUND", "UNAUTHORIZED", "INVALID_API_KEY", "FORBIDDEN"],
  },
  malformedJson: {
    messages: ["Invalid JSON body", "Malformed JSON in request body", "Request body could not be parsed", "Unexpected token in JSON"],
    codes: ["INVALID_JSON", "BAD_REQUEST", "VALIDATION_ERROR", "PARSE_ERROR"],
  },
  wrongShape: {
    messages: ["Invalid request body", 'The request must be {action: "UPDATE_PROFILE", data: {...}}', "Validation failed", "Unsupported action"],
    codes: ["VALIDATION_ERROR", "BAD_REQUEST", "INVALID_ACTION", "INVALID_BODY"],
  },
  invalidField: {
    messages: ["Validation failed", "Invalid profile data", "One or more fields are invalid", "Invalid request"],
    codes: ["VALIDATION_ERROR", "INVALID_FIELD", "BAD_REQUEST", "UNPROCESSABLE_ENTITY"],
  },
  contentType: {
    messages: ["Content-Type must be application/json", "Unsupported Media Type", "Only JSON bodies are accepted"],
    codes: ["UNSUPPORTED_MEDIA_TYPE", "INVALID_CONTENT_TYPE", "BAD_REQUEST"],
  },
  method: {
    messages: ["Method not allowed", "Route not found", "Cannot handle this method on /api/v1/users"],
    codes: ["METHOD_NOT_ALLOWED", "NOT_FOUND", "BAD_REQUEST"],
  },
  tooLarge: {
    messages: ["Request entity too large", "Payload too large", "Request body exceeds the size limit"],
    codes: ["PAYLOAD_TOO_LARGE", "REQUEST_TOO_LARGE", "BAD_REQUEST"],
  },
};

/** Words for what is not a refusal of the endpoint: other paths, and the rate limiter. */
export const NOT_FOUND_WORDS = { message: "Not found", code: "NOT_FOUND" } as const;
export const RATE_LIMIT_WORDS = { message: "Too many requests, please retry later", code: "RATE_LIMITED" } as const;
