// drift's templates of a deployment's messages: what varies becomes {detail}, and no piece of another program's
// wording (a JSON parser's, which differs from engine to engine) is left in the template around it.
import { describe, expect, it } from "vitest";
import { templateOf, type MessageSample } from "../../src/conformance/drift/message-template.js";

const samples = (...texts: string[]): MessageSample[] => texts.map((text) => ({ text, values: {} }));

/** Bodies drift-like runs send on purpose, each malformed its own way. */
const MALFORMED = [
  '{"action":"UPDATE_PROFILE","data":{"email":"a@b.test",}}',
  '{"action":"UPDATE_PROFILE"',
  "not json",
  '{"action":"UPDATE_PROFILE","data":{"email":"a@b.test" "city":"X"}}',
];

function parserMessage(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${text} parsed`);
}

describe("templateOf", () => {
  it("learns the same template from this engine's JSON parser messages as from Node 20's and Node 24's", () => {
    const here = samples(...MALFORMED.map((body) => `Malformed JSON: ${parserMessage(body)}`));
    const node20 = samples(
      "Malformed JSON: Expected double-quoted property name in JSON at position 51",
      "Malformed JSON: Expected ',' or '}' after property value in JSON at position 26",
      `Malformed JSON: Unexpected token 'o', "not json" is not valid JSON`,
    );
    const node24 = samples(
      "Malformed JSON: Expected double-quoted property name in JSON at position 51 (line 1 column 52)",
      "Malformed JSON: Expected ',' or '}' after property value in JSON at position 26 (line 1 column 27)",
      "Malformed JSON: Expected ',' or '}' after property value in JSON at position 50 (line 1 column 51)",
    );
    expect(templateOf(here)).toBe("Malformed JSON: {detail}");
    expect(templateOf(node20)).toBe("Malformed JSON: {detail}");
    expect(templateOf(node24)).toBe("Malformed JSON: {detail}");
  });

  it("starts the detail after the shared words' last colon, keeps the words after it, and brackets whole", () => {
    expect(templateOf(samples("Validation error: data.dob is wrong", "Validation error: data.city is wrong"))).toBe(
      "Validation error: {detail} is wrong",
    );
    expect(templateOf(samples("Field 'dob' is invalid", "Field 'postalCode' is invalid"))).toBe("Field '{detail}' is invalid");
    expect(
      templateOf(
        samples("Content-Type must be application/json (received text/plain)", "Content-Type must be application/json (received application/xml)"),
      ),
    ).toBe("Content-Type must be application/json (received {detail})");
    // A bracket closed after the detail but opened inside it belongs to it, and so does one opened before it and not closed.
    expect(templateOf(samples("Bad input: at 12 (line 1) now", "Bad input: at 7 (line 2) now"))).toBe("Bad input: {detail} now");
    expect(templateOf(samples("Bad input (at 12", "Bad input (at 7"))).toBe("Bad input {detail}");
  });
});
