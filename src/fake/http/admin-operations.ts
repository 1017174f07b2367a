/**
 * @module fake/http/admin-operations
 * What each operation of the admin API does once its request has been checked (admin-app): one handler per kind of
 * admin-routes. The table is typed by kind, so an operation added to admin-routes without a handler here does not
 * compile. json-server answers the collection reads ("list" and "read") itself. A write is checked, applied and saved
 * in its one synchronous call.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Contract } from "../../contract/contract.js";
import type { MessageName } from "../../contract/messages.js";
import { packageVersion } from "../../package-version.js";
import { FaultError, type FaultSet, type FaultSpec } from "../core/faults.js";
import type { RequestJournal } from "../core/request-journal.js";
import { compileMatcher, MatcherError } from "../journal/match-request.js";
import { countRequests, findRequests } from "../journal/verify-requests.js";
import type { CommitResult, FakeStore } from "../state/fake-store.js";
import { planCreate, planDelete, planUpdate, type RecordChange, type StoredRecord } from "../state/record-changes.js";
import { ADMIN_PREFIX, type AdminOperation, type AdminOperationKind } from "./admin-routes.js";

type Values = Record<string, string>;
type Headers = Record<string, string>;

/** What the handlers work on: the fake's state, journal and faults. */
export interface AdminServices {
  contract: Contract;
  store: FakeStore;
  journal: RequestJournal;
  faults: FaultSet;
  /** Back to the fixtures, the journal emptied and the faults removed. */
  reset: () => CommitResult;
  /** Stops the fake server, once the answer is sent. */
  shutdown: () => void;
}

/** One checked request: its operation, the record's `{id}`, its parsed body and its query. */
export interface AdminCall {
  operation: AdminOperation;
  id?: string;
  body?: unknown;
  query: Values;
}

/** How a handler answers: in the admin API's indented JSON, errors in the envelope with a documented message. */
export interface AdminReply {
  res: ServerResponse;
  send(status: number, body: unknown, headers?: Headers): void;
  fail(name: MessageName, values?: Values, headers?: Headers): void;
}

type Handler = (call: AdminCall, services: AdminServices, reply: AdminReply) => void;
export type AdminHandledKind = Exclude<AdminOperationKind, "list" | "read">;

const done = (reply: AdminReply, message: string) => reply.send(200, { status: 200, success: true, message });
const faultPath = (id: string | undefined) => `${ADMIN_PREFIX}/faults/${id ?? ""}`;

export const ADMIN_HANDLERS: Readonly<Record<AdminHandledKind, Handler>> = {
  reset(_call, { reset }, reply) {
    const result = reset();
    if (!result.ok) return reply.fail("stateNotSaved", { detail: result.detail });
    done(reply, "State reset to the fixtures");
  },
  listRequests({ query }, { journal }, reply) {
    const { email, status, since, _limit: limit, _page: page } = query;
    let read;
    try {
      read = journal.readPage({
        ...(email ? { email } : {}),
        ...(status ? { status: Number(status) } : {}),
        ...(since ? { since } : {}),
        ...(limit ? { limit: Number(limit) } : {}),
        ...(page ? { page: Number(page) } : {}),
      });
    } catch (error) {
      return reply.fail("adminInvalidQuery", { detail: (error as Error).message });
    }
    reply.send(200, read.page, { "x-total-count": String(read.matched) });
  },
  findRequests: (call, services, reply) =>
    verifyRequests(call, services, reply, (matcher) => ({ requests: findRequests(services.journal, matcher) })),
  countRequests: (call, services, reply) => verifyRequests(call, services, reply, (matcher) => ({ count: countRequests(services.journal, matcher) })),
  clearRequests(_call, { journal }, reply) {
    journal.clear();
    done(reply, "Request journal cleared");
  },
  addFault({ body }, { faults }, reply) {
    let fault;
    try {
      fault = faults.add(body as FaultSpec);
    } catch (error) {
      if (error instanceof FaultError) return reply.fail("invalidFault", { detail: error.message });
      throw error;
    }
    reply.send(201, fault, { location: faultPath(encodeURIComponent(fault.id)) });
  },
  listFaults: (_call, { faults }, reply) => reply.send(200, { faults: faults.list() }),
  clearFaults(_call, { faults }, reply) {
    faults.clear();
    done(reply, "Faults cleared");
  },
  readFault({ id }, { faults }, reply) {
    const fault = faults.list().find((f) => f.id === id);
    if (fault) reply.send(200, fault);
    else reply.fail("adminNotFound", { path: faultPath(id) });
  },
  deleteFault({ id }, { faults }, reply) {
    if (id !== undefined && faults.remove(id)) done(reply, `Deleted fault ${id}`);
    else reply.fail("adminNotFound", { path: faultPath(id) });
  },
  dump: (_call, { store }, reply) => reply.send(200, store.state),
  health: (_call, _services, reply) => reply.send(200, { status: "ok", version: packageVersion() }),
  shutdown(_call, { shutdown }, reply) {
    // Stop only once the answer has left: the script that asked reads 200, then sees the port free.
    reply.res.once("finish", shutdown);
    done(reply, "Stopping the fake server");
  },
  create({ operation, body }, { contract, store }, reply) {
    const collection = operation.collection!;
    const record = body as StoredRecord;
    commit(reply, store, planCreate(contract, store.state, collection, record), 201, (change) => change.record, {
      location: `${ADMIN_PREFIX}/${collection}/${encodeURIComponent(record.id)}`,
    });
  },
  patch: (call, services, reply) => update(call, services, reply, "patch"),
  replace: (call, services, reply) => update(call, services, reply, "replace"),
  delete({ operation, id }, { contract, store }, reply) {
    const collection = operation.collection!;
    commit(reply, store, planDelete(contract, store.state, collection, id!), 200, (change) => ({
      status: 200,
      success: true,
      message: `Deleted ${collection}/${id}${change.removed.length > 0 ? `, and with it ${change.removed.join(", ")}` : ""}`,
    }));
  },
};

function update({ operation, id, body }: AdminCall, { contract, store }: AdminServices, reply: AdminReply, kind: "patch" | "replace"): void {
  const change = planUpdate(contract, store.state, operation.collection!, id!, body as Record<string, unknown>, kind);
  commit(reply, store, change, 200, (changed) => changed.record);
}

type Matcher = ReturnType<typeof compileMatcher>;

/** find and count: the same matcher, compiled once, a different answer. */
function verifyRequests({ body }: AdminCall, { contract }: AdminServices, reply: AdminReply, answer: (matcher: Matcher) => unknown): void {
  let matcher;
  try {
    matcher = compileMatcher(contract, body);
  } catch (error) {
    if (error instanceof MatcherError) return reply.fail("invalidMatcher", { detail: error.message });
    throw error;
  }
  reply.send(200, answer(matcher));
}

/** A planned record change: refused as it says, or saved, then answered with the record as the write left it. */
function commit(
  reply: AdminReply,
  store: FakeStore,
  change: RecordChange,
  status: number,
  answer: (change: Extract<RecordChange, { ok: true }>) => unknown,
  headers: Headers = {},
): void {
  if (!change.ok) {
    if (change.failure === "notFound") return reply.fail("adminNotFound", { path: (reply.res.req as IncomingMessage).url!.split("?")[0]! });
    return reply.fail("adminInvalid", { detail: change.detail });
  }
  const body = answer(change); // computed before saving: the record as this write left it
  const answerSaved = (saved: CommitResult) => (saved.ok ? reply.send(status, body, headers) : reply.fail("stateNotSaved", { detail: saved.detail }));
  const saved = store.commitCollections(change.next);
  if (saved instanceof Promise) void saved.then(answerSaved);
  else answerSaved(saved);
}
