/**
 * @module fake/http/update-profile-endpoint
 * POST /api/v1/users, action UPDATE_PROFILE: the HTTP adapter around the rules.
 * The order of the checks is the one openapi.yaml describes for the operation.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Contract } from "../../contract/contract.js";
import type { MessageName } from "../../contract/messages.js";
import { formatIssues } from "../../contract/validators.js";
import { authenticate } from "../rules/authenticate.js";
import { decideProfileUpdate } from "../rules/decide-profile-update.js";
import type { RuleConfig } from "../rules/rule-config.js";
import type { FakeStore } from "../state/fake-store.js";
import { publicUserFields, toPublicUser } from "../state/public-user.js";
import type { UpdateProfileData } from "../state/types.js";
import { isJsonContentType, parseJsonBody } from "./parse-json-body.js";
import { readBody } from "./read-body.js";
import { sendError, sendJson } from "./send-json.js";
import { refuseUnread } from "./skip-body.js";

export interface EndpointOptions {
  contract: Contract;
  store: FakeStore;
  rules: RuleConfig;
  /** Largest body accepted, in bytes. */
  bodyLimit: number;
}

export function createUpdateProfileEndpoint({ contract, store, rules, bodyLimit }: EndpointOptions) {
  const m = (name: MessageName) => contract.message(name);
  const userFields = publicUserFields(contract);

  /** Refuses before reading the body: a small body is drained to keep the connection; any other closes it. */
  function refuse(req: IncomingMessage, res: ServerResponse, name: MessageName, values: Record<string, string> = {}, headers: Record<string, string> = {}): void {
    refuseUnread(req, res, bodyLimit, m(name), values, headers);
  }

  function updateProfile(req: IncomingMessage, res: ServerResponse, path: string): void {
    if (req.method !== "POST") {
      return refuse(req, res, "methodNotAllowed", { method: req.method ?? "?", path, allow: "POST" }, { allow: "POST" });
    }

    const auth = authenticate(store.view(), singleHeader(req.headers["cv-api-key"]));
    if (!auth.ok) return refuse(req, res, auth.failure);

    const contentType = req.headers["content-type"];
    if (!isJsonContentType(contentType)) return refuse(req, res, "unsupportedMediaType", { received: contentType ?? "none" });

    readBody(req, bodyLimit, (body) => {
      if (!body.ok) {
        if (body.reason === "aborted") return void res.destroy();
        // Close the connection so the rest of the oversized body is never read.
        return sendError(res, m("payloadTooLarge"), { limit: String(bodyLimit) }, { connection: "close" });
      }
      try {
        answer(res, auth.organizationId, body.bytes);
      } catch (error) {
        answerInternalError(res, error);
      }
    });
  }

  /** A bug of the fake must still answer in the envelope, without a stack trace, and change nothing. */
  function answerInternalError(res: ServerResponse, error: unknown): void {
    console.error("[cv-contract-kit] unexpected error on POST /api/v1/users:", error);
    if (!res.headersSent) sendError(res, m("stateNotSaved"), { detail: "internal error of the fake server" });
  }

  function answer(res: ServerResponse, organizationId: string, bytes: Buffer): void {
    const parsed = parseJsonBody(bytes);
    if (!parsed.ok) return sendError(res, m("malformedJson"), { detail: parsed.detail });

    const issues = contract.validateUpdateRequest(parsed.value);
    if (issues.length > 0) return sendError(res, m("invalidRequestBody"), { detail: formatIssues(issues) });

    const data = (parsed.value as { data: UpdateProfileData }).data;
    const decision = decideProfileUpdate(store.view(), organizationId, data, rules);
    if (!decision.ok) return sendError(res, m(decision.failure), { email: data.email });

    const committed = store.commitProfilePatch(decision.user, decision.patch);
    if (!committed.ok) return sendError(res, m("stateNotSaved"), { detail: committed.detail });

    sendJson(res, 200, {
      status: 200,
      success: true,
      message: contract.successMessage,
      data: { user: toPublicUser(decision.user, userFields) },
    });
  }

  return (req: IncomingMessage, res: ServerResponse, path: string): void => {
    try {
      updateProfile(req, res, path);
    } catch (error) {
      answerInternalError(res, error);
    }
  };
}

/** Node joins repeated custom headers with ", "; a string[] only comes from raw header arrays. */
function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}
