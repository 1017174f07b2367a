/**
 * @module cv-contract-kit/msw
 * MSW 2.x request handlers served by an in-process fake: requests your app sends to `baseUrl` are answered by the
 * fake's rules, state, journal and faults, with no port. msw is an optional peer dependency: install it yourself.
 *
 * @example
 * import { setupServer } from "msw/node";
 * import { createFake } from "cv-contract-kit";
 * import { handlers } from "cv-contract-kit/msw";
 *
 * const fake = createFake();
 * const server = setupServer(...handlers(fake, { baseUrl: "https://api.carevalidate.com" }));
 * // …the app under test runs…
 * verify(fake, { method: "POST", data: { email: "alice@example.com" } }, { times: 1 });
 */
import { http, HttpResponse, type HttpHandler } from "msw";

/** Anything with the fake's fetch: `createFake()`, or `startFakeServer()`'s result. */
export interface FetchingFake {
  fetch: typeof globalThis.fetch;
}

/**
 * Anything with the fake's verify (`createFake()`, or `startFakeServer()`'s result). Typed structurally: this
 * entry's declarations import nothing of the kit's (see scripts/build-cjs-types.mjs).
 */
export interface VerifyingFake<Matcher, Options> {
  verify(matcher: Matcher, options?: Options): void;
}

export interface HandlerOptions {
  /** Where the app sends its requests, e.g. "https://api.carevalidate.com" (every path under it goes to the fake). */
  baseUrl: string;
}

export function handlers(fake: FetchingFake, { baseUrl }: HandlerOptions): HttpHandler[] {
  let origin: string;
  try {
    origin = new URL(baseUrl).href.replace(/\/+$/, "");
  } catch {
    throw new TypeError(`handlers(fake, { baseUrl }): "${baseUrl}" is not an absolute URL; pass e.g. "https://api.carevalidate.com".`);
  }
  return [
    http.all(`${origin}/*`, async ({ request }) => {
      try {
        return await fake.fetch(request);
      } catch (error) {
        // A reset or empty-connection fault: MSW's own way to make the app's fetch fail as a network error does.
        if (error instanceof TypeError && error.message === "fetch failed") return HttpResponse.error();
        throw error;
      }
    }),
  ];
}

/**
 * WireMock's verify for the requests the app sent through these handlers: throws the fake's VerificationError
 * unless `times` requests match (at least 1 when left out), its message naming the closest requests the fake saw.
 * The same as `fake.verify(matcher, options)`; see docs/verification.md.
 */
export function verify<Matcher, Options>(fake: VerifyingFake<Matcher, Options>, matcher: Matcher, options?: Options): void {
  fake.verify(matcher, options);
}
