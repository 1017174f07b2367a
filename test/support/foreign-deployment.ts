// A "foreign deployment": an independent implementation of the vendor's endpoint, written from the vendor page
// alone, sharing no code with src/. It follows every rule the page documents and differs wherever the page is
// silent, the way a real service built on Express and Prisma would:
// - its own wording for a missing key, malformed JSON and validation errors; 401 for an unknown key; 404 for other
//   methods (all in the page's envelope);
// - extra user fields id, createdAt and updatedAt, updatedAt bumped on every call (Prisma's @updatedAt), reads too;
// - an updatable QA account whose address is empty.
// Each planted bug is one switch; tests can also take over any request (hostile answers, gateways, slow writes).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type PlantedBug =
  | "staffAllowed"
  | "noOrganizationScope"
  | "genderNotLocked"
  | "lockNotAtomic"
  | "phoneNotUnique"
  | "partialUpdateWipesAddress2"
  | "htmlErrorOnMalformedJson"
  | "htmlErrorOnLongValue"
  | "impossibleDateAccepted"
  | "noAuth"
  | "lenientPlace"
  | "missingWhere"
  // Refuses staff and other organizations with the documented message, but writes first: only a suite that writes to
  // accounts it cannot read would see it (and could not undo it).
  | "applyAnyway"
  // Bugs no scripted scenario meets, for the generated requests (--fuzz):
  | "astralCharacterCrash"
  | "longFirstNameCrash"
  | "postalCodeClearsCity"
  | "lowercaseStateAccepted"
  | "lowercaseGenderAccepted";

export const PLANTED_BUGS: readonly PlantedBug[] = [
  "staffAllowed",
  "noOrganizationScope",
  "genderNotLocked",
  "lockNotAtomic",
  "phoneNotUnique",
  "partialUpdateWipesAddress2",
  "htmlErrorOnMalformedJson",
  "htmlErrorOnLongValue",
  "impossibleDateAccepted",
  "noAuth",
  "lenientPlace",
];

/**
 * Where the page is silent, more ways a service may differ and still follow it: null refused for address2, dob
 * answered as a plain date or in a shifted time zone, messages quoting the email as stored, a write-behind queue
 * (200 with the new values, applied lagMs later), reads from a replica lagMs behind.
 */
export type Quirk =
  | "nullRefused"
  | "dobPlain"
  | "dobShifted"
  | "storedEmailInMessages"
  | "writeBehind"
  | "staleReads"
  // Wordings some services have, for aligning the fake with them:
  | "parserInMessages" // "Malformed JSON: <the JSON parser's own message>", as Express's body-parser says
  | "keyStatusSplit" // 401 when the key header is absent, 400 when it is empty
  | "echoesUnknownKey"; // "Unknown key <the key sent>"

export const FUZZ_ONLY_BUGS: readonly PlantedBug[] = [
  "astralCharacterCrash",
  "longFirstNameCrash",
  "postalCodeClearsCity",
  "lowercaseStateAccepted",
  "lowercaseGenderAccepted",
];

export interface ForeignRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  /** The body as text (only read for POST /api/v1/users). */
  body: string;
  /** How many requests came before this one. */
  index: number;
}

export interface ForeignOptions {
  bugs?: readonly PlantedBug[];
  quirks?: readonly Quirk[];
  /** For writeBehind and staleReads (default 300 ms). */
  lagMs?: number;
  /** Values to start with, by QA account (null: empty), e.g. { updatableUser: { address2: null, state: "New York" } }. */
  profiles?: Partial<Record<keyof typeof QA_ACCOUNTS, Partial<Record<string, string | null>>>>;
  /** The organization's key (default DEFAULT_FOREIGN_KEY). */
  apiKey?: string;
  /** Sees every request first; returns true when it answered (or took over the socket) itself. */
  intercept?: (request: ForeignRequest, res: ServerResponse) => boolean | Promise<boolean>;
  /** Awaited once a write is decided, before it is applied: lets a test make a write land after the client gave up. */
  beforeWrite?: (request: ForeignRequest) => Promise<void>;
}

export interface ForeignDeployment {
  url: string;
  apiKey: string;
  /** The QA accounts, by role, as a target file names them. */
  accounts: typeof QA_ACCOUNTS;
  freePhoneNumber: string;
  /** Every user's profile fields as stored now (email → fields), for before/after comparisons. */
  profiles(): Record<string, Record<string, unknown>>;
  requestCount(): number;
  /** Updates applied with at least one profile field (a read changes none). */
  appliedWrites(): number;
  close(): Promise<void>;
}

export const DEFAULT_FOREIGN_KEY = "sk_live_acme_7Qp2xZ9wLm4Rt8Vn3Kc6";

export const QA_ACCOUNTS = {
  updatableUser: { email: "qa.updatable@acme.test" },
  lockedUser: { email: "qa.locked@acme.test" },
  unlockedCaseUser: { email: "qa.open@acme.test" },
  otherOrganizationUser: { email: "qa.other@globex.test" },
  staffUser: { email: "qa.admin@acme.test" },
  phoneOwner: { email: "qa.phone@acme.test", phoneNumber: "+14155550199" },
};

const PROFILE_FIELDS = [
  "firstName",
  "lastName",
  "dob",
  "phoneNumber",
  "gender",
  "address",
  "address2",
  "city",
  "state",
  "country",
  "postalCode",
] as const;
type ProfileField = (typeof PROFILE_FIELDS)[number];
type Row = { id: number; email: string; role: string; organizationId: string; createdAt: Date; updatedAt: Date } & Record<
  ProfileField,
  string | Date | null
>;

const LOCKING_CASE_STATUSES = new Set(["ASSIGNED", "IN_PROGRESS", "APPROVED", "REJECTED", "NO_DECISION"]);

function seedRows(): { users: Row[]; cases: { userId: number; status: string }[] } {
  const created = new Date("2024-01-15T09:30:00.000Z");
  const person = (id: number, email: string, role: string, organizationId: string, fields: Partial<Record<ProfileField, string | null>>): Row => ({
    id,
    email,
    role,
    organizationId,
    createdAt: created,
    updatedAt: created,
    firstName: "Quinn",
    lastName: "Tester",
    dob: new Date("1990-04-12T00:00:00.000Z"),
    phoneNumber: `+1415555${String(100 + id).padStart(4, "0")}`,
    gender: "FEMALE",
    address: "500 Market St",
    address2: "Suite 9",
    city: "Portland",
    state: "OR",
    country: "US",
    postalCode: "97201",
    ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, k === "dob" && typeof v === "string" ? new Date(`${v}T00:00:00.000Z`) : v])),
  });
  return {
    users: [
      // The QA team's updatable account: its address was never filled in.
      person(1, QA_ACCOUNTS.updatableUser.email, "USER", "org_acme", { firstName: "Uma", address: null }),
      person(2, QA_ACCOUNTS.lockedUser.email, "USER", "org_acme", { firstName: "Lou", dob: "1985-07-30", city: "Salem" }),
      person(3, QA_ACCOUNTS.unlockedCaseUser.email, "USER", "org_acme", { firstName: "Opal", gender: "OTHER", city: "Eugene" }),
      person(4, QA_ACCOUNTS.otherOrganizationUser.email, "USER", "org_globex", { firstName: "Gil", city: "Boise" }),
      person(5, QA_ACCOUNTS.staffUser.email, "ADMIN", "org_acme", { firstName: "Ada", city: "Bend" }),
      person(6, QA_ACCOUNTS.phoneOwner.email, "USER", "org_acme", {
        firstName: "Pia",
        phoneNumber: QA_ACCOUNTS.phoneOwner.phoneNumber,
        city: "Medford",
      }),
    ],
    cases: [
      { userId: 2, status: "IN_PROGRESS" },
      { userId: 3, status: "OPEN" },
    ],
  };
}

const envelope = (status: number, message: string) => ({ status, success: false, message });

export async function startForeignDeployment(options: ForeignOptions = {}): Promise<ForeignDeployment> {
  const bugs = new Set(options.bugs ?? []);
  const apiKey = options.apiKey ?? DEFAULT_FOREIGN_KEY;
  const keys = new Map([
    [apiKey, "org_acme"],
    ["sk_live_globex_0000000000000000000", "org_globex"],
  ]);
  const quirks = new Set(options.quirks ?? []);
  const lagMs = options.lagMs ?? 300;
  const { users, cases } = seedRows();
  for (const [account, fields] of Object.entries(options.profiles ?? {})) {
    const user = users.find((u) => u.email === QA_ACCOUNTS[account as keyof typeof QA_ACCOUNTS].email)!;
    for (const [field, value] of Object.entries(fields ?? {}))
      (user as Record<string, unknown>)[field] = field === "dob" && value ? new Date(`${value}T00:00:00.000Z`) : value;
  }
  /** What reads see with staleReads: a copy of the users refreshed every lagMs. */
  let replica = users.map((u) => ({ ...u }));
  const refresh = quirks.has("staleReads") ? setInterval(() => (replica = users.map((u) => ({ ...u }))), lagMs) : undefined;
  const pendingWrites = new Set<NodeJS.Timeout>();
  let requests = 0;
  let writes = 0;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
    res.end(text);
  };

  const dobOut = (d: Date) =>
    quirks.has("dobPlain")
      ? d.toISOString().slice(0, 10)
      : quirks.has("dobShifted")
        ? new Date(d.getTime() - 3600_000).toISOString()
        : d.toISOString();
  const toApi = (user: Row) => ({
    id: user.id,
    email: user.email,
    ...Object.fromEntries(PROFILE_FIELDS.map((f) => [f, user[f] instanceof Date ? dobOut(user[f] as Date) : user[f]])),
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  });

  async function updateProfile(request: ForeignRequest, res: ServerResponse): Promise<void> {
    const key = request.headers["cv-api-key"];
    if (!bugs.has("noAuth") && (typeof key !== "string" || key.trim() === "")) {
      const status = quirks.has("keyStatusSplit") && key === undefined ? 401 : 400;
      return send(res, status, envelope(status, "Missing API key"));
    }
    const organizationId = bugs.has("noAuth") ? (keys.get(String(key)) ?? "org_acme") : keys.get(String(key));
    if (!organizationId) return send(res, 401, envelope(401, quirks.has("echoesUnknownKey") ? `Unknown key ${String(key)}` : "Unauthorized"));
    if (!/^application\/json\b/i.test(String(request.headers["content-type"] ?? "")))
      return send(res, 415, envelope(415, "Unsupported content type"));

    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch (error) {
      if (bugs.has("htmlErrorOnMalformedJson")) {
        res.writeHead(500, { "content-type": "text/html; charset=utf-8" });
        return void res.end(
          `<!DOCTYPE html><html><body><pre>SyntaxError: ${(error as Error).message}<br> &nbsp;at JSON.parse (&lt;anonymous&gt;)<br> &nbsp;at /srv/app/node_modules/body-parser/lib/types/json.js:89:19</pre></body></html>`,
        );
      }
      return send(res, 400, envelope(400, quirks.has("parserInMessages") ? `Malformed JSON: ${(error as Error).message}` : "Malformed JSON"));
    }
    const long = Object.values((body as { data?: Record<string, unknown> } | null)?.data ?? {}).some((v) => typeof v === "string" && v.length > 1000);
    if (bugs.has("htmlErrorOnLongValue") && long) {
      res.writeHead(500, { "content-type": "text/html; charset=utf-8" });
      return void res.end("<!DOCTYPE html><html><body><pre>error: value too long for type character varying(1000)</pre></body></html>");
    }
    const problem = validate(body);
    if (problem) return send(res, 400, envelope(400, `Validation error: ${problem}`));
    const data = (body as { data: Record<string, unknown> }).data;

    const email = String(data.email).toLowerCase();
    const user = users.find((u) => u.email.toLowerCase() === email);
    if (!user) return send(res, 400, envelope(400, `User ${String(data.email)} does not exist`));
    const quoted = quirks.has("storedEmailInMessages") ? user.email : String(data.email);
    const sent = PROFILE_FIELDS.filter((f) => data[f] !== undefined);
    if (bugs.has("applyAnyway") && (user.organizationId !== organizationId || user.role !== "USER")) apply(user, data, sent);
    if (user.organizationId !== organizationId && !bugs.has("noOrganizationScope")) {
      return send(res, 400, envelope(400, `User ${quoted} does not exist in the organization`));
    }
    if (user.role !== "USER" && !bugs.has("staffAllowed")) return send(res, 400, envelope(400, "Not allowed to update the profile"));

    const lockedFields = bugs.has("genderNotLocked") ? ["firstName", "lastName", "dob"] : ["firstName", "lastName", "dob", "gender"];
    const locked = cases.some((c) => c.userId === user.id && LOCKING_CASE_STATUSES.has(c.status));
    if (locked && sent.some((f) => lockedFields.includes(f))) {
      if (bugs.has("lockNotAtomic"))
        apply(
          user,
          data,
          sent.filter((f) => !lockedFields.includes(f)),
        );
      return send(res, 400, envelope(400, "Cannot update user profile fields (firstName, lastName, dob, gender) for user with cases"));
    }
    if (typeof data.phoneNumber === "string" && !bugs.has("phoneNotUnique") && users.some((u) => u !== user && u.phoneNumber === data.phoneNumber)) {
      return send(res, 400, envelope(400, "Unable to use this phone number. Please use a different one"));
    }
    await options.beforeWrite?.(request);
    if (quirks.has("staleReads") && sent.length === 0) {
      user.updatedAt = new Date();
      const copy = replica.find((u) => u.id === user.id)!;
      return send(res, 200, { status: 200, success: true, message: "Profile updated successfully", data: { user: toApi(copy) } });
    }
    if (quirks.has("writeBehind") && sent.length > 0) {
      // Answers as if applied (a queue will apply it), and applies it lagMs later.
      const preview = { ...user };
      applyTo(preview, data, sent);
      const timer = setTimeout(() => {
        pendingWrites.delete(timer);
        apply(user, data, sent);
      }, lagMs);
      pendingWrites.add(timer);
      return send(res, 200, { status: 200, success: true, message: "Profile updated successfully", data: { user: toApi(preview) } });
    }
    // A column in a 3-byte UTF-8 charset (MySQL's utf8), and another one too short: the database refuses, the service answers 500.
    if (bugs.has("astralCharacterCrash") && sent.some((f) => typeof data[f] === "string" && /[\u{10000}-\u{10FFFF}]/u.test(data[f] as string))) {
      return send(res, 500, envelope(500, "Incorrect string value for column"));
    }
    if (bugs.has("longFirstNameCrash") && typeof data.firstName === "string" && [...data.firstName].length >= 60)
      return send(res, 500, envelope(500, "Data too long for column 'firstName'"));
    apply(user, data, sent);
    // The bug: UPDATE users SET city = … with no WHERE on the user: every USER of the organization gets the city.
    if (bugs.has("missingWhere") && typeof data.city === "string")
      for (const u of users) if (u.organizationId === user.organizationId && u.role === "USER") u.city = data.city;
    if (bugs.has("postalCodeClearsCity") && data.postalCode !== undefined && data.city === undefined) user.city = null;
    // The bug: an update that sends fields writes address2 as `data.address2 ?? null` (an email-only call skips the write).
    if (bugs.has("partialUpdateWipesAddress2") && sent.length > 0 && data.address2 === undefined) user.address2 = null;
    send(res, 200, { status: 200, success: true, message: "Profile updated successfully", data: { user: toApi(user) } });
  }

  function apply(user: Row, data: Record<string, unknown>, fields: readonly ProfileField[]): void {
    if (fields.length > 0) writes++;
    applyTo(user, data, fields);
    user.updatedAt = new Date(); // Prisma's @updatedAt: every update call, even one that changes nothing
  }

  function applyTo(user: Row, data: Record<string, unknown>, fields: readonly ProfileField[]): void {
    for (const field of fields) {
      const value = data[field] as string | null;
      user[field] = field === "dob" && value !== null ? new Date(value) : value;
    }
  }

  /** The data table's rules, as this service reads them. Returns what is wrong, or undefined. */
  function validate(body: unknown): string | undefined {
    if (!body || typeof body !== "object" || Array.isArray(body)) return "body must be an object";
    const { action, data } = body as Record<string, unknown>;
    if (action !== "UPDATE_PROFILE") return "action must be UPDATE_PROFILE";
    if (!data || typeof data !== "object" || Array.isArray(data)) return "data must be an object";
    const d = data as Record<string, unknown>;
    if (typeof d.email !== "string" || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(d.email)) return "email is invalid";
    for (const field of PROFILE_FIELDS) {
      const value = d[field];
      if (value === undefined || (value === null && field === "address2" && !quirks.has("nullRefused"))) continue;
      if (typeof value !== "string") return `${field} must be a string`;
      const max = ["address", "address2"].includes(field) ? 255 : 100;
      if ([...value].length === 0 || [...value].length > max) return `${field} has an invalid length`;
    }
    if (typeof d.dob === "string" && !validDate(d.dob)) return "dob is invalid";
    const gender = bugs.has("lowercaseGenderAccepted") && typeof d.gender === "string" ? d.gender.toUpperCase() : d.gender;
    if (d.gender !== undefined && !["MALE", "FEMALE", "OTHER"].includes(gender as string)) return "gender is invalid";
    if (typeof d.phoneNumber === "string" && !/^\+[1-9]\d{1,14}$/.test(d.phoneNumber)) return "phoneNumber is invalid";
    if (bugs.has("lenientPlace")) return undefined;
    if (typeof d.state === "string" && !(bugs.has("lowercaseStateAccepted") ? /^[A-Za-z]{2}$/ : /^[A-Z]{2}$/).test(d.state))
      return "state is invalid";
    if (typeof d.country === "string" && !/^[A-Z]{2}$/.test(d.country)) return "country is invalid";
    if (typeof d.postalCode === "string" && !/^\d{1,10}$/.test(d.postalCode)) return "postalCode is invalid";
    return undefined;
  }

  function validDate(text: string): boolean {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
    if (bugs.has("impossibleDateAccepted")) return true; // new Date("1995-02-30") rolls over to March 2
    const date = new Date(`${text}T00:00:00.000Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0]!;
    const isEndpoint = path === "/api/v1/users";
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    if (isEndpoint && req.method === "POST") {
      for await (const chunk of req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > 100 * 1024) {
          tooLarge = true;
          break;
        }
        chunks.push(chunk);
      }
    } else {
      req.resume();
    }
    const request: ForeignRequest = {
      method: req.method ?? "GET",
      path,
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
      index: requests++,
    };
    if (options.intercept && (await options.intercept(request, res))) return;
    if (!isEndpoint) return send(res, 404, envelope(404, `Route ${request.method} ${path} not found`));
    if (request.method !== "POST") return send(res, 404, envelope(404, `Cannot ${request.method} /api/v1/users`));
    if (tooLarge) {
      res.setHeader("connection", "close");
      return send(res, 413, envelope(413, "Payload too large"));
    }
    await updateProfile(request, res);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, envelope(500, `Internal error: ${(error as Error).message}`));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    accounts: QA_ACCOUNTS,
    freePhoneNumber: "+14155550777",
    profiles: () =>
      Object.fromEntries(
        users.map((u) => [u.email, Object.fromEntries(PROFILE_FIELDS.map((f) => [f, u[f] instanceof Date ? (u[f] as Date).toISOString() : u[f]]))]),
      ),
    requestCount: () => requests,
    appliedWrites: () => writes,
    close: () =>
      new Promise<void>((resolve) => {
        if (refresh) clearInterval(refresh);
        for (const timer of pendingWrites) clearTimeout(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
