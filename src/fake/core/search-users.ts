/**
 * @module fake/core/search-users
 * GET /api/v1/users (the vendor's "Search users" page, not the seed), without a transport: key → query → search →
 * answer. It writes nothing, reads no body, and never throws. The answer is `{meta, data}` with no status/success wrapper, as
 * that page shows it; each user as the update shows it, but dob as stored (YYYY-MM-DD, the search page's example).
 */
import type { Contract } from "../../contract/contract.js";
import { authenticate } from "../rules/authenticate.js";
import { searchUsers } from "../rules/search-users.js";
import type { FakeStore } from "../state/fake-store.js";
import { compilePublicUserJson, publicUserFields } from "../state/public-user.js";
import type { AnswerBook } from "./answer-book.js";
import type { FakeAnswer, FakeRequest } from "./fake-request.js";
import { jsonString } from "./json-text.js";
import { parseSearchQuery } from "./search-query.js";

export interface SearchUsersOptions {
  contract: Contract;
  store: FakeStore;
  answers: AnswerBook;
}

/** The answer, and the organization of the key when it was known (for the journal). */
export interface SearchOutcome {
  answer: FakeAnswer;
  organizationId?: string;
}

export function createSearchUsersPipeline({ contract, store, answers }: SearchUsersOptions): (req: FakeRequest) => SearchOutcome {
  const userJson = compilePublicUserJson(publicUserFields(contract), "date");
  return (req) => {
    try {
      return answer(req);
    } catch (error) {
      // A bug of the fake answers 503, as the update's does, instead of ending the process.
      console.error("[cv-contract-kit] unexpected error on GET /api/v1/users:", error);
      return { answer: answers.error("stateNotSaved", { detail: "internal error of the fake server" }) };
    }
  };

  function answer(req: FakeRequest): SearchOutcome {
    const auth = authenticate(store.view(), req.headers["cv-api-key"]);
    if (!auth.ok) return { answer: answers.error(auth.failure) };
    const { organizationId } = auth;
    const parsed = parseSearchQuery(contract, req.query);
    if (!parsed.ok) return { answer: answers.error("invalidSearchQuery", { detail: parsed.detail }), organizationId };
    const found = searchUsers(store.view(), organizationId, parsed.query);
    if (!found.ok) {
      return {
        answer: answers.error("invalidSearchQuery", {
          detail: "after names no user of this organization; pass meta.cursor of the previous page, or leave it out to start again",
        }),
        organizationId,
      };
    }
    const cursor = found.cursor === null ? "null" : jsonString(found.cursor);
    const json = `{"meta":{"hasMore":${found.hasMore},"cursor":${cursor}},"data":[${found.users.map(userJson).join(",")}]}`;
    return { answer: { status: 200, headers: {}, json, outcome: "success" }, organizationId };
  }
}
