// The request schemas, in zod, built from the deployment's choices (and the bugs planted in it).
import { z } from "zod";
import type { Break } from "./breaks.js";
import type { Patch, WritableField } from "./domain.js";
import { HEALTH_FIELDS } from "./domain.js";
import type { Knobs } from "./knobs.js";
import { isCalendarDate, storedPhone } from "./normalise.js";

export const GENDERS = ["MALE", "FEMALE", "OTHER"] as const;
const PO_BOX = /\b(p\.?\s*o\.?\s*box|post\s+office\s+box)\b/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Field = z.ZodType<string | null, unknown>;

/** The outer shape: {action: "UPDATE_PROFILE", data: {email, …}}. */
export function envelopeSchema(k: Knobs, has: (b: Break) => boolean) {
  const data = z.looseObject({ email: z.string({ error: "data.email is required and must be a string" }) }, { error: "data must be an object" });
  const shape = {
    action: has("other-action-accepted") ? z.unknown() : z.literal("UPDATE_PROFILE", { error: "action must be UPDATE_PROFILE" }),
    data,
  };
  return k.unknownKeys === "refused" ? z.strictObject(shape) : z.object(shape);
}

export const isEmail = (text: string): boolean => EMAIL.test(text);

/** The schema of each writable field, as this deployment validates and normalises it. */
export function fieldSchemas(k: Knobs, has: (b: Break) => boolean): Partial<Record<WritableField, Field>> {
  const string = (field: string): z.ZodString => {
    // The coerced schema is a ZodString over unknown input: typed as one so every field shares the helpers below.
    const base = has("number-for-string-accepted") ? (z.coerce.string() as unknown as z.ZodString) : z.string({ error: `${field} must be a string` });
    return k.trimText ? base.trim() : base;
  };
  const text = (field: string, max: number | null, extra?: (value: string) => string | null) => {
    let schema = string(field);
    if (max !== null && !has("long-value-500")) schema = schema.max(max, `${field} must be at most ${max} characters`);
    if (k.emptyText === "refused") schema = schema.min(1, `${field} must not be empty`);
    return schema.transform((value, ctx) => {
      const problem = extra?.(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
      return value === "" && k.emptyText === "clears" ? null : value;
    });
  };
  const region = (field: string, letters: RegExp) =>
    string(field)
      .refine(
        (v) => (k.regionCase === "strict" ? letters.test(v) && v === v.toUpperCase() : letters.test(v)),
        `${field} must be a 2-character abbreviation${k.regionCase === "strict" ? " in capitals" : ""}`,
      )
      .transform((v) => (k.regionCase === "upper" ? v.toUpperCase() : v));
  const fields: Partial<Record<WritableField, Field>> = {
    firstName: text("firstName", k.nameMaxLength),
    lastName: text("lastName", k.nameMaxLength),
    dob: dobSchema(k, has),
    phoneNumber: string("phoneNumber").transform((value, ctx) => {
      const stored = storedPhone(value, k);
      if (stored === null)
        ctx.addIssue({
          code: "custom",
          message:
            k.phoneFormat === "e164Only" ? "phoneNumber must be in E.164 format, e.g. +14155550199" : "phoneNumber is not a valid phone number",
        });
      return stored ?? value;
    }),
    gender: genderSchema(k, string("gender")),
    address: text("address", k.textMaxLength, (v) => (k.refusePoBox && PO_BOX.test(v) ? "address should not be a PO Box address" : null)),
    address2: text("address2", k.textMaxLength),
    city: text("city", k.textMaxLength),
    state: region("state", has("state-three-letters-accepted") ? /^[A-Za-z]{2,3}$/ : /^[A-Za-z]{2}$/),
    country: region("country", /^[A-Za-z]{2}$/),
    postalCode: postalSchema(k, has, string("postalCode")),
  };
  if (k.extras.includes("health")) for (const field of HEALTH_FIELDS) fields[field] = text(field, k.textMaxLength);
  for (const [field, schema] of Object.entries(fields) as [WritableField, Field][]) {
    const clears = k.nulls === "clearAll" || (k.nulls === "clearAddress2Only" && field === "address2");
    fields[field] = clears ? schema.nullable() : schema;
  }
  return fields;
}

function dobSchema(k: Knobs, has: (b: Break) => boolean): Field {
  const message = "dob must be a date in YYYY-MM-DD format";
  let schema: z.ZodType<string, unknown>;
  if (has("dob-any-format-accepted")) {
    schema = z.string(message).transform((v, ctx) => {
      const date = new Date(v);
      if (Number.isNaN(date.getTime())) ctx.addIssue({ code: "custom", message });
      return Number.isNaN(date.getTime()) ? v : date.toISOString().slice(0, 10);
    });
  } else if (has("lock-bypassed-by-datetime-dob")) {
    schema = z
      .string(message)
      .refine((v) => isCalendarDate(v.slice(0, 10)) && (v.length === 10 || DATE_TIME.test(v)), message)
      .transform((v) => v.slice(0, 10));
  } else {
    schema = (k.trimText ? z.string(message).trim() : z.string(message)).refine(isCalendarDate, message);
  }
  const today = new Date().toISOString().slice(0, 10);
  if (k.dobRange !== "any") schema = schema.refine((v) => v <= today, "dob must not be in the future");
  if (k.dobRange === "since1900NotFuture") schema = schema.refine((v) => v >= "1900-01-01", "dob must not be before 1900-01-01");
  if (has("dob-off-by-one-day")) schema = schema.transform((v) => new Date(Date.parse(`${v}T00:00:00Z`) - 5 * 3_600_000).toISOString().slice(0, 10));
  return schema;
}

function genderSchema(k: Knobs, string: z.ZodString): Field {
  const upper = (v: string) => (k.genderCase === "upper" ? v.toUpperCase() : v);
  if (k.genderValues === "enum") {
    return string.refine((v) => (GENDERS as readonly string[]).includes(upper(v)), `gender must be one of ${GENDERS.join(", ")}`).transform(upper);
  }
  return string
    .min(1, "gender must not be empty")
    .refine((v) => k.genderCase === "upper" || v === v.toUpperCase(), "gender must be written in capitals")
    .transform(upper);
}

function postalSchema(k: Knobs, has: (b: Break) => boolean, string: z.ZodString): Field {
  if (has("postal-letters-accepted")) return string.min(3, "postalCode is too short").max(10, "postalCode is too long");
  const rule = { digits: /^\d+$/, fiveDigits: /^\d{5}$/, fiveOrZip4: /^\d{5}(-\d{4})?$/ }[k.postalCode];
  const words = { digits: "must contain only digits", fiveDigits: "must be 5 digits", fiveOrZip4: "must be 12345 or 12345-6789" }[k.postalCode];
  return string.regex(rule, `postalCode ${words}`);
}

/** The data object as a whole: every field optional; unknown keys dropped or refused. */
export function dataSchema(k: Knobs, has: (b: Break) => boolean) {
  const fields = Object.fromEntries(Object.entries(fieldSchemas(k, has)).map(([field, schema]) => [field, schema.optional()]));
  const shape = { email: z.string(), ...fields };
  return (k.unknownKeys === "refused" ? z.strictObject(shape) : z.object(shape)).transform(({ email: _email, ...patch }) => patch as Patch);
}

export interface Schemas {
  envelope: ReturnType<typeof envelopeSchema>;
  data: ReturnType<typeof dataSchema>;
  fields: ReturnType<typeof fieldSchemas>;
}

/** Built once per deployment: zod schemas are costly to construct and cheap to run. */
export const compileSchemas = (k: Knobs, has: (b: Break) => boolean): Schemas => ({
  envelope: envelopeSchema(k, has),
  data: dataSchema(k, has),
  fields: fieldSchemas(k, has),
});

/** The first problem zod found, as "field: what is wrong". */
export function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid request";
  const path = issue.path.join(".");
  if (issue.code === "unrecognized_keys") return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`;
  return path ? `${path}: ${issue.message}` : issue.message;
}
