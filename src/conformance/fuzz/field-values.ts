/**
 * @module conformance/fuzz/field-values
 * Values for each field of the request, read from openapi.yaml's UpdateProfileData, never retyped: valid ones
 * (its type, length, pattern, format, enum, nullability) and ones that break exactly one of its rules.
 */
import fc from "fast-check";
import type { Contract } from "../../contract/contract.js";
import type { JsonSchema } from "../../contract/load-spec.js";
import { deref } from "../../contract/pointer.js";

export interface FieldRules {
  name: string;
  schema: JsonSchema & { type?: unknown; minLength?: number; maxLength?: number; pattern?: string; format?: string };
  nullable: boolean;
}

/** The profile fields of the request schema with their rules ($refs followed). */
export function fieldRules(contract: Contract): FieldRules[] {
  const data = contract.spec.components.schemas.UpdateProfileData!;
  return contract.profileFields.map((name) => {
    const schema = deref<FieldRules["schema"]>(contract.spec, data.properties![name]);
    return { name, schema, nullable: Array.isArray(schema.type) && schema.type.includes("null") };
  });
}

const ALNUM = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"];
/** One code point: mostly letters and digits, sometimes any printable one, sometimes outside the BMP (4 bytes in UTF-8). */
const codePoint = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...ALNUM) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme-composite", minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0x1f300, max: 0x1faff }).map((cp) => String.fromCodePoint(cp)) },
);

/** Text within the field's length limits, short and long alike, with no space at either end. */
function text(min: number, max: number): fc.Arbitrary<string> {
  // size "max": lengths spread over the whole range, up to the contract's maximum (not only the first few).
  const of = (lo: number, hi: number) => fc.array(codePoint, { minLength: lo, maxLength: hi, size: "max" }).map((cps) => cps.join(""));
  const long = Math.max(min, Math.min(max, 40));
  return fc
    .oneof({ weight: 3, arbitrary: of(Math.max(min, 1), Math.min(max, 12)) }, { weight: 1, arbitrary: of(long, max) })
    .filter((s) => s.trim() === s && s.length > 0);
}

const calendarDate = fc
  .date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2020-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

/** A valid value of a field; undefined for phoneNumber, which is never made up (it may be a real person's). */
export function validValue(field: FieldRules): fc.Arbitrary<unknown> | undefined {
  const s = field.schema;
  if (field.name === "phoneNumber") return undefined;
  let arbitrary: fc.Arbitrary<unknown>;
  if (Array.isArray(s.enum)) arbitrary = fc.constantFrom(...s.enum);
  else if (s.format === "date") arbitrary = calendarDate;
  else if (typeof s.pattern === "string") arbitrary = fc.stringMatching(new RegExp(s.pattern));
  else arbitrary = text(s.minLength ?? 1, s.maxLength ?? 100);
  return field.nullable ? fc.oneof({ weight: 4, arbitrary }, { weight: 1, arbitrary: fc.constant(null) }) : arbitrary;
}

/** A calendar date that does not exist, in the right shape: 1995-02-30. */
export const impossibleDate = fc
  .tuple(fc.integer({ min: 1900, max: 2020 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 29, max: 31 }))
  .map(([y, m, d]) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`)
  .filter((text) => {
    const date = new Date(`${text}T00:00:00Z`);
    return Number.isNaN(date.getTime()) || !date.toISOString().startsWith(text);
  });

/** A string the field's pattern refuses. */
export function patternBreaker(pattern: string): fc.Arbitrary<string> {
  const re = new RegExp(pattern);
  return fc
    .oneof(
      fc.string({ minLength: 1, maxLength: 16 }),
      fc.stringMatching(re).map((s) => s.toLowerCase()),
      fc.stringMatching(re).map((s) => `${s}1`),
    )
    .filter((s) => !re.test(s));
}

/** A value of the wrong JSON type for a string field. */
export const notAString = fc.oneof(fc.integer(), fc.boolean(), fc.constant([]), fc.constant({}));
