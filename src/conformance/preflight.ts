/**
 * @module conformance/preflight
 * Before any scenario, a few requests that change nothing tell a setup mistake from a broken deployment: a wrong
 * base URL, a gateway page, a redirect, a rate limit, a refused key, an account of the target file that is not
 * what the file says. Each problem is one line saying what to fix, and the run stops (exit 2) instead of blaming
 * the deployment for hundreds of lines. What it stops on is only what cannot be the endpoint's answer: an answer
 * carrying one of the page's documented messages is the endpoint's, whatever its status or label, and the
 * scenarios judge it.
 * It also finds how profiles can be read: through the vendor's search endpoint when the target offers it.
 */
import type { Contract } from "../contract/contract.js";
import { matchesTemplate, type MessageName } from "../contract/messages.js";
import { OTHER_ORGANIZATION_ACCOUNTS, type Access, type ReadMethod } from "./access.js";
import { roleOf } from "./accounts.js";
import { endpointUrl, type Exchange } from "./exchange.js";
import { describeAnswer, readAccount, readWith, searchPage, updateRequest } from "./read-profile.js";
import { retryAfterMs } from "./transport.js";

export interface PreflightResult {
  ok: boolean;
  /** One line each: what is wrong and what to do. */
  problems: string[];
  /** What was established, for the console. */
  notes: string[];
  exchanges: Exchange[];
}

export interface EndpointPreflight extends PreflightResult {
  /** How this run reads profiles. */
  readMethod: ReadMethod;
}

/**
 * A base URL that carries a user name or password (http://admin:pw@host) would be printed in every line and report
 * that names the target: it is refused, and said without them.
 */
export function credentialsProblem(baseUrl: string): string | undefined {
  if (!URL.canParse(baseUrl)) return undefined;
  const url = new URL(baseUrl);
  if (!url.username && !url.password) return undefined;
  return `--base-url carries credentials (user:password@ before the host): remove them and pass ${withoutCredentials(baseUrl)}; the suite authenticates with the cv-api-key alone, and would print the URL in every report.`;
}

/** The URL as it may be shown: without a user name or password. */
export function withoutCredentials(baseUrl: string): string {
  if (!URL.canParse(baseUrl)) return baseUrl;
  const url = new URL(baseUrl);
  if (!url.username && !url.password) return baseUrl;
  url.username = "";
  url.password = "";
  return url.href.replace(/\/$/, "");
}

/** A base URL must be the service's root: the suite adds /api/v1/users itself. */
export function baseUrlProblem(baseUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return `--base-url ${baseUrl} is not a URL: pass one like https://api-staging.example.com.`;
  }
  const credentials = credentialsProblem(baseUrl);
  if (credentials) return credentials;
  if (url.protocol !== "http:" && url.protocol !== "https:") return `--base-url must start with http:// or https:// (received "${baseUrl}").`;
  if (url.search || url.hash) return `--base-url ${baseUrl} carries a query or fragment: pass only ${url.origin}${url.pathname.replace(/\/+$/, "")}.`;
  const api = /\/api\/v1(\/users)?\/*$/i.exec(url.pathname);
  if (api) {
    return `--base-url ${baseUrl} carries the path ${url.pathname}: the suite adds /api/v1/users itself. Pass ${url.origin}${url.pathname.slice(0, api.index)}.`;
  }
  return undefined;
}

const BUSINESS_MESSAGES = [
  "userDoesNotExist",
  "userNotInOrganization",
  "notAllowedToUpdateProfile",
  "demographicFieldsLocked",
  "phoneNumberInUse",
] as const satisfies readonly MessageName[];

/** The documented message an answer carries (in `message`, or an `error` of another envelope), for this email. */
function documentedMessageIn(contract: Contract, ex: Exchange, email: string): MessageName | undefined {
  const body = ex.response?.json as { message?: unknown; error?: unknown } | undefined;
  if (!body || typeof body !== "object") return undefined;
  const texts = [body.message, body.error].filter((t): t is string => typeof t === "string");
  return BUSINESS_MESSAGES.find((name) => texts.some((text) => matchesTemplate(contract.message(name).template, { email }, text)));
}

const isJsonObject = (ex: Exchange) => ex.response?.json !== null && typeof ex.response?.json === "object" && !Array.isArray(ex.response?.json);

/**
 * The endpoint answers as one, and the key is accepted: an update of an email no user has, so nothing can change
 * whatever the target does. Then how profiles will be read.
 */
export async function preflightEndpoint(contract: Contract, access: Access): Promise<EndpointPreflight> {
  const { transport, target } = access;
  const result: EndpointPreflight = { ok: true, problems: [], notes: [], exchanges: [], readMethod: "update" };
  const stop = (problem: string): EndpointPreflight => ({ ...result, ok: false, problems: [...result.problems, problem] });
  const baseUrl = transport.options.baseUrl;
  const url = endpointUrl(baseUrl);
  const pathHint = new URL(baseUrl).pathname.replace(/\/+$/, "") ? ` (--base-url carries the path ${new URL(baseUrl).pathname}: is it right?)` : "";

  const probe = await transport.send(updateRequest(access.key, { email: target.unknownEmail }), "transient");
  result.exchanges.push(probe);
  const answer = probe.response;
  if (!answer) {
    const hint = probe.transportFailure === "timeout" ? "Is it up? A longer --timeout may help." : "Check --base-url and that the server is up.";
    return stop(`The target cannot be reached: ${probe.transportError}. ${hint}`);
  }
  if (answer.status >= 300 && answer.status < 400) {
    const location = answer.headers.location ?? "(no Location)";
    return stop(
      `--base-url redirects: POST ${url} answered ${answer.status} to ${location}. Pass the final URL as --base-url (the suite never follows a redirect: it would resend the key elsewhere).`,
    );
  }
  if (answer.status === 429) {
    const wait = retryAfterMs(answer.headers["retry-after"]);
    return stop(
      `The target rate-limits the suite: 429${wait === undefined ? "" : ` with Retry-After ${Math.ceil(wait / 1000)} s`}, after retrying. Wait and run again, or ask for a higher rate limit for this key.`,
    );
  }
  if (answer.truncated) return stop(`POST ${url} answered more than 1 MiB: this is not the CareValidate endpoint. Check --base-url${pathHint}.`);
  // The page's own words make it the endpoint's answer, whatever its status or label: the scenarios judge it.
  const documented = documentedMessageIn(contract, probe, target.unknownEmail);
  if (!documented) {
    if (answer.status === 401 || answer.status === 403) {
      // A gateway refusing the key answers in its own shape: it is still the key (or this client) it refuses.
      return stop(
        `The API key was refused: POST ${url} answered ${describeAnswer(probe)}. Check --api-key or CV_API_KEY: is it this deployment's key, and still valid (rotated)?`,
      );
    }
    if (!isJsonObject(probe)) {
      const gateway = answer.status >= 500 ? " A gateway or proxy answering for a service that is down?" : "";
      return stop(
        `The endpoint does not answer JSON: POST ${url} got ${describeAnswer(probe)}.${gateway} Check --base-url${pathHint} and that the service is up.`,
      );
    }
    if (answer.status === 404)
      return stop(`Nothing answers POST ${url} (${describeAnswer(probe)}). Check --base-url${pathHint}: the suite adds /api/v1/users itself.`);
    if (answer.status >= 500) return stop(`The target fails before any scenario: POST ${url} got ${describeAnswer(probe)}. Is the service up?`);
  }
  if (documented) result.notes.push("the key is accepted");

  // Reads: through the vendor's search endpoint when it finds the account, else with email-only updates. No update is
  // sent to decide: on a target where an email-only update clears fields, that would be the first damage.
  const first = ["updatableUser", ...Object.keys(target.accounts)].find((name) => target.accounts[name] && roleOf(name).expects === "profile");
  if (first) {
    const email = target.accounts[first]!.email;
    const search = await readWith(transport, access.key, email, "search");
    result.exchanges.push(...search.exchanges);
    if (search.profile) {
      result.readMethod = "search";
      result.notes.push("profiles are read through GET /api/v1/users?email= (the vendor's search users endpoint), which writes nothing");
    } else {
      const why = searchPage(search.exchange) ? `it does not find ${email}` : `GET ${url}?email= answered ${describeAnswer(search.exchange)}`;
      result.notes.push(`profiles are read with an update that sends only the email (no search to read them with: ${why})`);
    }
  }
  return result;
}

/** Each account of the target file is what the file says, read with its own key; the phone numbers it gives are theirs. */
export async function preflightAccounts(contract: Contract, access: Access, keyAccepted: boolean): Promise<PreflightResult> {
  const { target } = access;
  const result: PreflightResult = { ok: true, problems: [], notes: [], exchanges: [] };
  const phones = new Map<string, string>();
  let accountReads = 0;
  let refusedReads = 0;
  let accepted = keyAccepted;
  const file = target.file ?? "the target file";

  for (const [name, account] of Object.entries(target.accounts)) {
    const where = `accounts.${name} (${account.email})`;
    const other = OTHER_ORGANIZATION_ACCOUNTS.includes(name);
    // Read with the run's key: what this organization sees of it (a user of another organization: nothing).
    const asRun = await readWith(access.transport, access.key, account.email, access.readMethod);
    result.exchanges.push(...asRun.exchanges);
    accountReads++;
    const business = asRun.exchanges.map((ex) => documentedMessageIn(contract, ex, account.email)).find(Boolean);
    if (asRun.profile || business) accepted = true;
    if (!asRun.profile && !business) refusedReads++;
    // Readable with the run's key although it should not be: a target file mistake, or a missing organization scope;
    // user-not-in-organization tells (its hint names the account), so it is not stopped here.
    const profile = other && access.otherKey ? (await readAccountInto(result, access, name)).profile : asRun.profile;
    if (profile) {
      const phone = profile.phoneNumber;
      if (typeof phone === "string") phones.set(phone, name);
      if (account.phoneNumber !== undefined && phone !== account.phoneNumber) {
        result.problems.push(
          `accounts.${name}.phoneNumber in ${file} is ${account.phoneNumber}, but the target has ${JSON.stringify(phone ?? null)} for ${account.email}: fix the target file.`,
        );
      }
      continue;
    }
    if (other && access.otherKey) {
      result.problems.push(
        `${where} cannot be read with the key of otherOrganization (${target.otherOrganization?.apiKeyEnv}): it must be a USER of that organization. Fix ${file}, or the key.`,
      );
      continue;
    }
    if (!asRun.exchange.response) {
      result.problems.push(`${where} could not be read: ${asRun.exchange.transportError}.`);
      continue;
    }
    // Not found through search: the update says why (that organization, that role, no such user).
    const why = business ?? (access.readMethod === "search" ? await classifyByUpdate(contract, access, result, account.email) : undefined);
    const answered = why && asRun.profile === undefined ? ` (${describeAnswer(asRun.exchange)})` : "";
    if (why === "userDoesNotExist")
      result.problems.push(`${where} does not exist on the target${business ? answered : ""}: fix its email in ${file}.`);
    else if (roleOf(name).expects === "profile") {
      const what =
        why === "userNotInOrganization"
          ? "is not in the organization of this API key"
          : why === "notAllowedToUpdateProfile"
            ? "has a role other than USER"
            : `cannot be read with this key (${describeAnswer(asRun.exchange)})`;
      result.problems.push(`${where} ${what}; it must be ${roleOf(name).description}. Fix ${file}.`);
    } else if (!asRun.refused) result.problems.push(`${where} could not be read: ${describeAnswer(asRun.exchange)}.`);
    if (why) accepted = true;
  }

  if (!accepted && accountReads > 0 && refusedReads === accountReads) {
    return {
      ...result,
      ok: false,
      problems: [
        "The API key was refused: no account of the target file can be read with it. Check --api-key or CV_API_KEY: is it this deployment's key, and still valid (rotated)?",
      ],
    };
  }
  const owner = target.freePhoneNumber === undefined ? undefined : phones.get(target.freePhoneNumber);
  if (owner) result.problems.push(`freePhoneNumber ${target.freePhoneNumber} belongs to accounts.${owner}: give a number no user has.`);
  if (accountReads > 0 && result.problems.length === 0)
    result.notes.push(
      `${accountReads} account(s) answer as the target file says${access.otherKey ? " (otherOrganizationUser read with the second organization's key)" : ""}`,
    );
  result.ok = result.problems.length === 0;
  return result;
}

async function readAccountInto(result: PreflightResult, access: Access, name: string) {
  const read = await readAccount(access, name);
  result.exchanges.push(...read.exchanges);
  return read;
}

/** Why an account the search does not find is not there, as an email-only update says it (it changes nothing). */
async function classifyByUpdate(contract: Contract, access: Access, result: PreflightResult, email: string): Promise<MessageName | undefined> {
  const read = await readWith(access.transport, access.key, email, "update");
  result.exchanges.push(...read.exchanges);
  return documentedMessageIn(contract, read.exchange, email);
}
