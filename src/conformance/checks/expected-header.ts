import { defineCheck, failed, passed } from "./define-check.js";

/** A list header (Allow: GET, POST) holds every token expected; other headers equal the value expected. */
const holds = (received: string | undefined, expected: string) => {
  const tokens = (text: string) =>
    text
      .split(",")
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean);
  return received !== undefined && tokens(expected).every((t) => tokens(received).includes(t));
};

export const expectedHeader = defineCheck({
  id: "expected_header",
  title: "The headers the step expects (Allow: POST on a 405)",
  tier: "inferred",
  aspect: "behaviour",
  scope: "expectation",
  obligation: {
    inferred: "RFC 9110 §15.5.6: a 405 lists the allowed methods in Allow; the page documents POST (the vendor's search users page adds GET).",
  },
  run(ctx) {
    const expected = Object.entries(ctx.expect.headers ?? {});
    if (!ctx.response || expected.length === 0) return undefined;
    const wrong = expected.filter(([name, value]) => !holds(ctx.response!.headers[name.toLowerCase()], value));
    if (wrong.length === 0) return passed;
    return failed(
      wrong.map(([name]) => `${name}: ${ctx.response!.headers[name.toLowerCase()] ?? "(none)"}`).join(", "),
      wrong.map(([name, value]) => `${name}: ${value}`).join(", "),
    );
  },
});
