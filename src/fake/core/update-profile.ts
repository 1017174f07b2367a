/**
 * @module fake/core/update-profile
 * POST /api/v1/users, action UPDATE_PROFILE, without a transport: named stages in the order openapi.yaml gives
 * for the operation; the first stage that answers ends the request.
 *
 *   head (no body needed):  method → key → content type → size
 *   body:                   size → parse → validate → decide → commit → answer
 *
 * An adapter runs `head` as soon as the request line and headers are in, reads the body only when `head` lets it,
 * then runs `body`. Nothing is written before `commit`, and `commit` writes in the same call as `decide`.
 */
import type { Contract } from "../../contract/contract.js";
import { formatIssues } from "../../contract/validators.js";
import { authenticate } from "../rules/authenticate.js";
import { decideProfileUpdate, type ProfileDecision } from "../rules/decide-profile-update.js";
import type { RuleConfig } from "../rules/rule-config.js";
import type { CommitResult, FakeStore } from "../state/fake-store.js";
import { compilePublicUserJson, publicUserFields } from "../state/public-user.js";
import type { UpdateProfileData } from "../state/types.js";
import type { AnswerBook } from "./answer-book.js";
import type { Answered, FakeAnswer, FakeRequest } from "./fake-request.js";
import { jsonString } from "./json-text.js";
import { isJsonContentType, parseJsonBody } from "./json-body.js";

/** The methods /api/v1/users serves: POST (the seed page's update) and GET (the vendor's search users page). */
export const USERS_PATH_ALLOW = "GET, POST";

/** A request that passed the head stages: its body may be read. */
export interface Admitted {
  organizationId: string;
}

export type HeadResult = { answer: FakeAnswer } | { admitted: Admitted };

export interface UpdateProfileOptions {
  contract: Contract;
  store: FakeStore;
  rules: RuleConfig;
  answers: AnswerBook;
  /** Largest body accepted, in bytes. */
  bodyLimit: number;
}

export interface UpdateProfilePipeline {
  /** The stages that need no body; the method stage alone is also used when faults are matched first. */
  head(req: FakeRequest): HeadResult;
  checkMethod(req: FakeRequest): FakeAnswer | undefined;
  /** The stages that need the body. Never throws: a bug of the fake answers 503 and changes nothing. */
  body(admitted: Admitted, bytes: Uint8Array): Answered;
  /** The answer to a body that grew past the limit while it was being read. */
  tooLarge(): FakeAnswer;
}

export function createUpdateProfilePipeline({ contract, store, rules, answers, bodyLimit }: UpdateProfileOptions): UpdateProfilePipeline {
  const userJson = compilePublicUserJson(publicUserFields(contract));
  // The success envelope around the user, as JSON text (see json-text): {status, success, message, data: {user}}.
  const successBefore = `{"status":200,"success":true,"message":${jsonString(contract.successMessage)},"data":{"user":`;
  // A refused body may be endless: the answer closes the connection so it is never read on.
  const tooLarge = (): FakeAnswer => ({ ...answers.error("payloadTooLarge", { limit: String(bodyLimit), detail: String(bodyLimit) }), close: true });
  // Allow belongs to a 405 (RFC 9110): a fake aligned with a deployment that answers 404 sends none.
  const allowHeader: Record<string, string> = answers.message("methodNotAllowed").status === 405 ? { allow: USERS_PATH_ALLOW } : {};

  // ---- head stages ----
  // GET is routed to the search before this (fake-core): here it is only POST.
  const checkMethod = (req: FakeRequest) =>
    req.method === "POST"
      ? undefined
      : answers.error("methodNotAllowed", { method: req.method, path: req.path, allow: USERS_PATH_ALLOW }, allowHeader);

  const checkKey = (req: FakeRequest): FakeAnswer | Admitted => {
    const auth = authenticate(store.view(), req.headers["cv-api-key"]);
    return auth.ok ? { organizationId: auth.organizationId } : answers.error(auth.failure);
  };

  const checkContentType = (req: FakeRequest) => {
    const received = req.headers["content-type"];
    return isJsonContentType(received)
      ? undefined
      : answers.error("unsupportedMediaType", { received: received || "none", detail: received || "none" }); // never an empty placeholder
  };

  const checkDeclaredSize = (req: FakeRequest) => {
    const declared = Number(req.headers["content-length"]);
    return Number.isFinite(declared) && declared > bodyLimit ? tooLarge() : undefined;
  };

  // ---- body stages ----
  const parse = (bytes: Uint8Array) => {
    const parsed = parseJsonBody(bytes);
    return parsed.ok ? parsed : answers.error("malformedJson", { detail: parsed.detail });
  };

  const validate = (value: unknown) => {
    const issues = contract.validateUpdateRequest(value);
    return issues.length === 0 ? undefined : answers.error("invalidRequestBody", { detail: formatIssues(issues) });
  };

  const decide = (admitted: Admitted, data: UpdateProfileData) => decideProfileUpdate(store.view(), admitted.organizationId, data, rules);

  const notSaved = (committed: CommitResult) => (committed.ok ? undefined : answers.error("stateNotSaved", { detail: committed.detail }));

  /** The answer is written now (the user as this change left it), and sent once the change is saved. */
  const commit = (decision: Extract<ProfileDecision, { ok: true }>): Answered => {
    const committed = store.commitProfilePatch(decision.user, decision.patch);
    if (!(committed instanceof Promise)) return notSaved(committed) ?? answer(decision);
    const success = answer(decision);
    return committed.then((result) => notSaved(result) ?? success);
  };

  const answer = (decision: Extract<ProfileDecision, { ok: true }>) =>
    ({ status: 200, headers: {}, json: `${successBefore}${userJson(decision.user)}}}`, outcome: "success" }) satisfies FakeAnswer;

  function body(admitted: Admitted, bytes: Uint8Array): Answered {
    try {
      if (bytes.length > bodyLimit) return tooLarge();
      const parsed = parse(bytes);
      if (!("ok" in parsed)) return parsed;
      const invalid = validate(parsed.value);
      if (invalid) return invalid;
      const data = (parsed.value as { data: UpdateProfileData }).data;
      const decision = decide(admitted, data);
      if (!decision.ok) return answers.error(decision.failure, { email: data.email });
      return commit(decision);
    } catch (error) {
      console.error("[cv-contract-kit] unexpected error on POST /api/v1/users:", error);
      return answers.error("stateNotSaved", { detail: "internal error of the fake server" });
    }
  }

  return {
    checkMethod,
    head(req) {
      const refused = checkMethod(req);
      if (refused) return { answer: refused };
      const key = checkKey(req);
      if ("status" in key) return { answer: key };
      const refusal = checkContentType(req) ?? checkDeclaredSize(req);
      return refusal ? { answer: refusal } : { admitted: key };
    },
    body,
    tooLarge,
  };
}
