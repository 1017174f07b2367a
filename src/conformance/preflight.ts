/**
 * @module conformance/preflight
 * Before any scenario, a few requests that change nothing tell a setup mistake from a broken deployment: a wrong
 * base URL, a gateway page, a redirect, a rate limit, a refused key, an account of the target file that is not
 * what the file says. Each problem is one line saying what to fix, and the run stops (exit 2) instead of blaming
 * the deployment for hundreds of lines.
 */
import type { Contract } from "../contract/contract.js";
import { matchesTemplate } from "../contract/messages.js";
import { roleOf } from "./accounts.js";
import { endpointUrl, type Exchange } from "./exchange.js";
import { describeAnswer, readProfile, updateRequest } from "./profile-guard.js";
import type { Target } from "./target.js";
import { retryAfterMs, type Transport } from "./transport.js";

export interface PreflightResult {
  ok: boolean;
  /** One line each: what is wrong and what to do. */
  problems: string[];
  /** What was established, for the console. */
  notes: string[];
  exchanges: Exchange[];
}

/** A base URL must be the service's root: the suite adds /api/v1/users itself. */
export function baseUrlProblem(baseUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return `--base-url ${baseUrl} is not a URL: pass one like https://api-staging.example.com.`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `--base-url must start with http:// or https:// (received "${baseUrl}").`;
  if (url.search || url.hash) return `--base-url ${baseUrl} carries a query or fragment: pass only ${url.origin}${url.pathname.replace(/\/+$/, "")}.`;
  const api = /\/api\/v1(\/users)?\/*$/i.exec(url.pathname);
  if (api) {
    return `--base-url ${baseUrl} carries the path ${url.pathname}: the suite adds /api/v1/users itself. Pass ${url.origin}${url.pathname.slice(0, api.index)}.`;
  }
  return undefined;
}

export async function preflight(contract: Contract, transport: Transport, apiKey: string, target: Target): Promise<PreflightResult> {
  const result: PreflightResult = { ok: true, problems: [], notes: [], exchanges: [] };
  const stop = (problem: string) => ({ ...result, ok: false, problems: [...result.problems, problem] });
  const baseUrl = transport.options.baseUrl;
  const url = endpointUrl(baseUrl);
  const pathHint = new URL(baseUrl).pathname.replace(/\/+$/, "") ? ` (--base-url carries the path ${new URL(baseUrl).pathname}: is it right?)` : "";

  // 1. The endpoint: an email no user has, so nothing can change whatever the target does.
  const probe = await transport.send(updateRequest(apiKey, { email: target.unknownEmail }), "transient");
  result.exchanges.push(probe);
  const answer = probe.response;
  if (!answer) {
    const hint = probe.transportFailure === "timeout" ? "Is it up? A longer --timeout may help." : "Check --base-url and that the server is up.";
    return stop(`The target cannot be reached: ${probe.transportError}. ${hint}`);
  }
  if (answer.status === 401 || answer.status === 403) {
    // A gateway refusing the key answers in its own shape: it is still the key (or this client) it refuses.
    return stop(`The API key was refused: POST ${url} answered ${describeAnswer(probe)}. Check --api-key or CV_API_KEY: is it this deployment's key, and still valid (rotated)?`);
  }
  if (answer.status >= 300 && answer.status < 400) {
    const location = answer.headers.location ?? "(no Location)";
    return stop(`--base-url redirects: POST ${url} answered ${answer.status} to ${location}. Pass the final URL as --base-url (the suite never follows a redirect: it would resend the key elsewhere).`);
  }
  if (answer.status === 429) {
    const wait = retryAfterMs(answer.headers["retry-after"]);
    return stop(`The target rate-limits the suite: 429${wait === undefined ? "" : ` with Retry-After ${Math.ceil(wait / 1000)} s`}, after retrying. Wait and run again, or ask for a higher rate limit for this key.`);
  }
  if (answer.truncated) return stop(`POST ${url} answered more than 1 MiB: this is not the CareValidate endpoint. Check --base-url${pathHint}.`);
  const envelope = answer.json as { status?: unknown; success?: unknown; message?: unknown } | undefined;
  const isEnvelope = typeof envelope === "object" && envelope !== null && typeof envelope.success === "boolean" && typeof envelope.message === "string";
  if (!isEnvelope || !/^application\/json\b/i.test(answer.headers["content-type"] ?? "")) {
    const gateway = answer.status >= 500 ? " A gateway or proxy answering for a service that is down?" : "";
    return stop(`The endpoint does not answer JSON in the page's envelope: POST ${url} got ${describeAnswer(probe)}.${gateway} Check --base-url${pathHint} and that the service is up.`);
  }
  if (answer.status === 404) return stop(`Nothing answers POST ${url} (404 "${String(envelope.message)}"). Check --base-url${pathHint}: the suite adds /api/v1/users itself.`);
  if (answer.status >= 500) return stop(`The target fails before any scenario: POST ${url} got ${describeAnswer(probe)}. Is the service up?`);

  let keyAccepted = matchesTemplate(contract.message("userDoesNotExist").template, { email: target.unknownEmail }, envelope.message);

  // 2. Each account of the target file, read with an update that sends only its email.
  const businessMessages = (["userDoesNotExist", "userNotInOrganization", "notAllowedToUpdateProfile"] as const).map((name) => contract.message(name));
  const accountProblems: string[] = [];
  const phones = new Map<string, string>();
  let accountReads = 0;
  let sameAsProbe = 0;
  for (const [name, account] of Object.entries(target.accounts)) {
    const read = await readProfile(transport, apiKey, account.email);
    result.exchanges.push(read.exchange);
    accountReads++;
    const where = `accounts.${name} (${account.email})`;
    const message = (read.exchange.response?.json as { message?: unknown } | undefined)?.message;
    const business = businessMessages.find((m) => matchesTemplate(m.template, { email: account.email }, message));
    if (read.exchange.response?.status === answer.status && message === envelope.message) sameAsProbe++;
    if (read.profile) {
      keyAccepted = true;
      const phone = read.profile.phoneNumber;
      if (typeof phone === "string") phones.set(phone, name);
      if (account.phoneNumber !== undefined && phone !== account.phoneNumber) {
        accountProblems.push(`accounts.${name}.phoneNumber in ${target.file ?? "the target file"} is ${account.phoneNumber}, but the target has ${JSON.stringify(phone ?? null)} for ${account.email}: fix the target file.`);
      }
      continue;
    }
    if (business) keyAccepted = true;
    if (!read.exchange.response) {
      accountProblems.push(`${where} could not be read: ${read.exchange.transportError}.`);
    } else if (business?.name === "userDoesNotExist") {
      accountProblems.push(`${where} does not exist on the target (${describeAnswer(read.exchange)}): fix its email in ${target.file ?? "the target file"}.`);
    } else if (roleOf(name).expects === "profile") {
      const what =
        business?.name === "userNotInOrganization"
          ? "is not in the organization of this API key"
          : business?.name === "notAllowedToUpdateProfile"
            ? "has a role other than USER"
            : `cannot be read with this key (${describeAnswer(read.exchange)})`;
      accountProblems.push(`${where} ${what}; it must be ${roleOf(name).description}. Fix the target file.`);
    } else if (!read.refused) {
      accountProblems.push(`${where} could not be read: ${describeAnswer(read.exchange)}.`);
    }
  }

  const refusedForAll = !keyAccepted && (answer.status === 401 || answer.status === 403 || (accountReads > 0 && sameAsProbe === accountReads));
  if (refusedForAll) {
    return stop(`The API key was refused: ${describeAnswer(probe)} for every request. Check --api-key or CV_API_KEY: is it this deployment's key, and still valid (rotated)?`);
  }
  result.problems.push(...accountProblems);
  const owner = target.freePhoneNumber === undefined ? undefined : phones.get(target.freePhoneNumber);
  if (owner) result.problems.push(`freePhoneNumber ${target.freePhoneNumber} belongs to accounts.${owner}: give a number no user has.`);

  result.notes.push(keyAccepted ? "the key is accepted" : `the key could not be confirmed (an unknown email got ${describeAnswer(probe)})`);
  if (accountReads > 0 && accountProblems.length === 0) result.notes.push(`${accountReads} account(s) answer as the target file says`);
  result.ok = result.problems.length === 0;
  return result;
}
