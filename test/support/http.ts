// Test helpers: real HTTP to a running server, and a contract check of every response received.
import { expect } from "vitest";
import { loadContract, UPDATE_PROFILE_METHOD, UPDATE_PROFILE_PATH } from "../../src/index.js";

export const KEY_A = "cvk_test_clinic_a_4f1c2d9e";
export const KEY_B = "cvk_test_clinic_b_8a7e3b10";

const contract = loadContract();

/** A response's JSON body, untyped (tests read it on purpose). */
export const json = async (response: Response | Promise<Response>): Promise<any> => (await response).json();

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export interface SendOptions {
  key?: string | null;
  contentType?: string | null;
  method?: string;
  headers?: Record<string, string>;
}

/** Sends one request to POST /api/v1/users and checks the response against openapi.yaml. */
export async function send(baseUrl: string, body: unknown, options: SendOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== null) headers["cv-api-key"] = options.key ?? KEY_A;
  if (options.contentType !== null) headers["content-type"] = options.contentType ?? "application/json";
  const method = options.method ?? "POST";
  const response = await fetch(`${baseUrl}${UPDATE_PROFILE_PATH}`, {
    method,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body),
  });
  const reply = await toReply(response);
  expectConforms(UPDATE_PROFILE_PATH, UPDATE_PROFILE_METHOD, reply);
  return reply;
}

export const update = (baseUrl: string, data: Record<string, unknown>, options: SendOptions = {}) =>
  send(baseUrl, { action: "UPDATE_PROFILE", data }, options);

/** An update that sends only the email: changes nothing, answers the user as stored. */
export async function readUser(baseUrl: string, email: string, key = KEY_A) {
  const reply = await update(baseUrl, { email }, { key });
  expect(reply.status).toBe(200);
  return reply.body.data.user as Record<string, unknown>;
}

/** A request to the fake's admin API, checked against the admin operations of openapi.yaml. Writes send JSON ({} by default). */
export async function admin(baseUrl: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const writes = method === "POST" || method === "PATCH" || method === "PUT";
  const response = await fetch(`${baseUrl}/__admin${path}`, {
    method,
    headers: { ...(writes ? { "content-type": "application/json" } : {}), ...headers },
    body: writes ? JSON.stringify(body ?? {}) : undefined,
  });
  const reply = await toReply(response);
  expectConforms(adminSpecPath(path), method.toLowerCase(), reply);
  return reply;
}

/** Admin paths with a fixed second segment: they are not records. */
const FIXED_ADMIN_PATHS = new Set(["/requests/find", "/requests/count"]);

/** "/users/u-ana?x=1" → "/__admin/users/{id}"; "/cases" → "/__admin/cases"; "/reset" → "/__admin/reset". */
export function adminSpecPath(path: string): string {
  const bare = path.split("?")[0]!;
  if (FIXED_ADMIN_PATHS.has(bare)) return `/__admin${bare}`;
  const [, collection, id] = bare.split("/");
  return id === undefined ? `/__admin/${collection}` : `/__admin/${collection}/{id}`;
}

export async function toReply(response: Response): Promise<Reply> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** Every response: a documented status, JSON, a body valid for that status, status and success consistent. */
export function expectConforms(path: string, method: string, reply: Reply): void {
  const where = `${method.toUpperCase()} ${path} → ${reply.status} ${reply.text.slice(0, 300)}`;
  expect(contract.documentedStatuses(path, method), where).toContain(reply.status);
  expect(reply.headers.get("content-type"), where).toMatch(/^application\/json/);
  expect(reply.body, where).toBeDefined();
  const validate = contract.responseValidator(path, method, reply.status);
  expect(validate, where).toBeDefined();
  expect(validate!(reply.body), where).toEqual([]);
  if (reply.body && typeof reply.body === "object" && !Array.isArray(reply.body) && "success" in reply.body) {
    expect(reply.body.status, where).toBe(reply.status);
    expect(reply.body.success, where).toBe(reply.status >= 200 && reply.status < 300);
  }
}
