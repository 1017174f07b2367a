// The build's standalone validators (the fake's fast start) must judge exactly as the ones compiled at run time.
// `npm test` builds before vitest, so dist/ is current here.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { PRECOMPILED_POINTERS, loadContract } from "../../src/contract/contract.js";
import { createSchemaCompiler, describeErrors } from "../../src/contract/validators.js";
import { PAGE_CURL_BODY_FIXED } from "../support/vendor-page.js";

const precompiled = createRequire(import.meta.url)("../../dist/contract/precompiled-validators.cjs") as Record<
  string,
  ((v: unknown) => boolean) & { errors?: never[] }
> & {
  pointers: Record<string, string>;
};
const runtime = createSchemaCompiler(loadContract().spec);
const fixtures = JSON.parse(readFileSync(new URL("../../fixtures/default.json", import.meta.url), "utf8")) as { users: Record<string, unknown>[] };
const page = JSON.parse(PAGE_CURL_BODY_FIXED) as { data: Record<string, unknown> };

const samples: unknown[] = [
  page,
  { ...page, data: { ...page.data, dob: "1995-02-30", gender: "male", state: "NYC", postalCode: 1010 } },
  { action: "UPDATE", data: {} },
  { action: "UPDATE_PROFILE" },
  null,
  [],
  fixtures,
  { ...fixtures, users: [{ ...fixtures.users[0], role: "KING" }] },
  {},
];

describe("precompiled validators", () => {
  it("cover exactly the pointers the contract asks for", () => {
    expect(Object.values(precompiled.pointers).sort()).toEqual([...PRECOMPILED_POINTERS].sort());
  });

  for (const [name, pointer] of Object.entries(precompiled.pointers)) {
    it.each(samples.map((s, i) => [i, s] as const))(`${pointer}: sample %i gets the same issues`, (_, sample) => {
      const validate = precompiled[name]!;
      const issues = validate(sample) ? [] : describeErrors(validate.errors ?? []);
      expect(issues).toEqual(runtime(pointer)(sample));
    });
  }
});
