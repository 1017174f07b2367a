// UPDATE_PROFILE as plain functions over the store: the checks in this deployment's order, then one write.
import type { Break } from "./breaks.js";
import type { Organization, Patch, User, WritableField } from "./domain.js";
import { PROFILE_FIELDS } from "./domain.js";
import type { Knobs } from "./knobs.js";
import { isLocked, lockedFieldsSent } from "./lock.js";
import type { DocumentedFailure } from "./messages.js";
import { normalisedEmail } from "./normalise.js";
import { phoneTakenByOther } from "./phone-in-use.js";
import { firstProblem, isEmail, type Schemas } from "./profile-schema.js";
import type { Store } from "./store.js";

export type Outcome =
  | { kind: "updated"; user: User }
  | { kind: "documented"; failure: DocumentedFailure; email: string }
  | { kind: "refused"; refusal: "wrongShape" | "invalidField"; detail: string };

export interface UpdateContext {
  store: Store;
  knobs: Knobs;
  has: (b: Break) => boolean;
  organization: Organization;
  schemas: Schemas;
}

type Step = "exists" | "organization" | "role" | "lock" | "phone" | "validate";

const VALIDATION_INDEX: Record<Knobs["validationAt"], number> = {
  beforeLookup: 0,
  afterLookup: 1,
  afterAccessChecks: 3,
  betweenLockAndPhone: 4,
  last: 5,
};

export function checkOrder(k: Knobs): Step[] {
  const access: Step[] = k.roleBeforeOrg ? ["role", "organization"] : ["organization", "role"];
  const content: Step[] = k.phoneBeforeLock ? ["phone", "lock"] : ["lock", "phone"];
  const steps: Step[] = ["exists", ...access, ...content];
  steps.splice(VALIDATION_INDEX[k.validationAt], 0, "validate");
  return steps;
}

/** A refusal some bugs answer only after writing (fields kept out of that write). */
interface Deferred {
  failure: DocumentedFailure;
  keepOut: string[];
}

export function updateProfile(ctx: UpdateContext, body: unknown): Outcome {
  const { knobs: k, has, store } = ctx;
  const envelope = ctx.schemas.envelope.safeParse(body);
  if (!envelope.success) return { kind: "refused", refusal: "wrongShape", detail: firstProblem(envelope.error) };
  const sent = envelope.data.data as Record<string, unknown> & { email: string };
  // "Ignored" nulls are dropped before anything looks at the request.
  const data = k.nulls === "ignored" ? Object.fromEntries(Object.entries(sent).filter(([, v]) => v !== null)) : sent;
  const email = normalisedEmail(sent.email, k);
  const quoted = k.emailInMessage === "asSent" ? sent.email : email;
  if (k.emailFormatChecked && !isEmail(email))
    return { kind: "refused", refusal: "invalidField", detail: "data.email: must be a valid email address" };

  let user: User | undefined;
  let patch: Patch = {};
  let deferred: Deferred | undefined;
  const fail = (failure: DocumentedFailure): Outcome => ({ kind: "documented", failure, email: quoted });
  for (const step of checkOrder(k)) {
    if (step === "exists") {
      user = store.userByEmail(email, k.emailMatch === "caseInsensitive");
      if (!user && !has("unknown-email-creates-user")) return fail("userMissing");
    } else if (step === "organization" && user && user.organizationId !== ctx.organization.id && !has("other-organization-updated")) {
      if (!has("other-organization-refused-but-applied")) return fail("notInOrganization");
      deferred ??= { failure: "notInOrganization", keepOut: [] };
    } else if (step === "role" && user && user.role !== "USER" && !has("role-check-missing")) {
      if (!has("staff-refused-but-applied")) return fail("notAllowed");
      deferred ??= { failure: "notAllowed", keepOut: [] };
    } else if (step === "lock" && user) {
      const locked = lockedFieldsSent(user, data, k, has);
      if (locked.length > 0 && isLocked(user, store, k, has)) {
        if (!has("lock-not-atomic")) return fail("locked");
        deferred ??= { failure: "locked", keepOut: locked };
      }
    } else if (step === "phone" && phoneTakenByOther(data.phoneNumber, user, store, k, has)) {
      if (!has("phone-conflict-not-atomic")) return fail("phoneTaken");
      deferred ??= { failure: "phoneTaken", keepOut: ["phoneNumber"] };
    } else if (step === "validate") {
      const parsed = ctx.schemas.data.safeParse(data);
      if (!parsed.success) {
        // The bug writes field by field, by email, wherever validation sits in the order.
        const target = user ?? store.userByEmail(email, k.emailMatch === "caseInsensitive");
        if (has("invalid-field-partly-applied") && target) writePatch(ctx, target, validFieldsOf(ctx, data));
        return { kind: "refused", refusal: "invalidField", detail: firstProblem(parsed.error) };
      }
      patch = parsed.data;
    }
  }
  if (!user) user = createUser(ctx, email);
  for (const field of deferred?.keepOut ?? []) delete patch[field as WritableField];
  const updated = writePatch(ctx, user, patch);
  if (deferred) return fail(deferred.failure);
  return { kind: "updated", user: has("answers-user-before-update") ? user : updated };
}

/** The one write of an update (the bugs that change what is written live here), answering the user as it now is. */
function writePatch(ctx: UpdateContext, user: User, sentPatch: Patch): User {
  const { store, knobs: k, has } = ctx;
  let patch: Patch = { ...sentPatch };
  if (has("clears-unsent-fields")) patch = { ...Object.fromEntries(PROFILE_FIELDS.map((f) => [f, null])), ...patch };
  if (has("clears-address2") && !("address2" in patch)) patch.address2 = null;
  if (has("email-only-clears-address") && Object.keys(patch).length === 0) patch = { address: null, address2: null, city: null, postalCode: null };
  for (const [field, value] of Object.entries(patch) as [WritableField, string | null][]) {
    if (has("null-on-null-crashes") && value === null && user[field] === null) {
      // The audit log reads the old value's length: a TypeError, as in the real bug.
      throw new TypeError(`Cannot read properties of null (reading 'length') while auditing ${field}`);
    }
    if (has("long-value-500") && typeof value === "string" && value.length > 255)
      throw new Error(`value too long for type character varying(255) (column ${field})`);
  }
  const writes = Object.keys(patch).length > 0 || k.updatedAtEveryCall;
  if (!writes) return store.read(user.id) ?? user;
  const now = new Date().toISOString();
  if (has("update-reaches-whole-organization")) {
    const { phoneNumber: _phone, ...shared } = patch;
    for (const member of store.usersOf(user.organizationId)) if (member.id !== user.id) store.write(member.id, shared, now);
  }
  return store.write(user.id, patch, now);
}

/** The fields of a request that pass on their own (what the field-by-field bug writes). */
function validFieldsOf(ctx: UpdateContext, data: Record<string, unknown>): Patch {
  const patch: Patch = {};
  for (const [field, schema] of Object.entries(ctx.schemas.fields) as [WritableField, NonNullable<Schemas["fields"][WritableField]>][]) {
    if (!(field in data)) continue;
    const parsed = schema.safeParse(data[field]);
    if (parsed.success) patch[field] = parsed.data;
  }
  return patch;
}

/** The upsert bug: an unknown email becomes a new USER of the key's organization. */
function createUser(ctx: UpdateContext, email: string): User {
  const now = new Date().toISOString();
  const user = {
    id: `usr_new_${email}`,
    email: email.toLowerCase(),
    organizationId: ctx.organization.id,
    role: "USER",
    createdAt: now,
    updatedAt: now,
    ...Object.fromEntries(PROFILE_FIELDS.map((f) => [f, null])),
    allergies: null,
    currentMedications: null,
    healthConditions: null,
  } as User;
  ctx.store.insert(user);
  return user;
}
