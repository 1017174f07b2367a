/**
 * @module conformance/drift/compare-runs
 * Where two targets answer the same scenarios differently, step by step: the status, the headers a scenario
 * expects, the envelope, the message (documented wording and inferred wording kept apart), the user's shape, and
 * whether the scenario changed a profile. Values that belong to each target's own accounts (emails, names) are not
 * differences: messages are compared with the request's values put back as placeholders, users by their fields'
 * presence and type. Fields the contract allows a service to add are listed, never counted.
 */
import type { Contract } from "../../contract/contract.js";
import type { Tier } from "../../contract/load-spec.js";
import { matchesTemplate } from "../../contract/messages.js";
import { KEY_REFERENCE } from "../exchange.js";
import type { ConformanceSummary, ScenarioResult, StepResult } from "../results.js";
import type { Scenario } from "../scenario.js";
import { normalize, templateOf, type MessageSample } from "./message-template.js";

export type DriftAspect = "status" | "header" | "envelope" | "message" | "shape" | "profile";

export interface Difference {
  scenario: string;
  /** The step's place in the scenario file, when the difference is in one answer. */
  step?: number;
  aspect: DriftAspect;
  tier: Tier;
  /** behaviour or wording differ; allowed: a difference the contract permits (extra fields), listed only. */
  kind: "behaviour" | "wording" | "allowed";
  a: string;
  b: string;
  /** One line, for people. */
  what: string;
}

export interface PairedStep {
  index: number;
  a?: StepResult;
  b?: StepResult;
  /** The message each side answered, with the request's values as placeholders. */
  messages: { a?: string; b?: string };
  /** The kind of message expected (a name of openapi.yaml's examples), "success" or "other". */
  kind: string;
}

export interface DriftScenario {
  id: string;
  title: string;
  tier: Tier;
  source: string;
  a?: ScenarioResult;
  b?: ScenarioResult;
  steps: PairedStep[];
  differences: Difference[];
  /** Set when it did not run on both sides. */
  onlyOneSide?: string;
}

/** How one side words one kind of inferred message, across the scenarios that ask for it. */
export interface WordingComparison {
  name: string;
  a?: string;
  b?: string;
  /** The status each side answered it with (the last one seen), and every status seen. */
  statusA?: number;
  statusB?: number;
  statusesB: number[];
  /** B's messages of this kind as received (at most three), for a profile to check what a template hides. */
  examplesB: string[];
  scenarios: string[];
  same: boolean;
}

export interface DriftComparison {
  scenarios: DriftScenario[];
  wording: WordingComparison[];
  differences: Difference[];
}

export function compareRuns(contract: Contract, scenarios: readonly Scenario[], a: ConformanceSummary, b: ConformanceSummary): DriftComparison {
  const byId = (summary: ConformanceSummary) => new Map(summary.results.map((r) => [r.id, r]));
  const resultsA = byId(a);
  const resultsB = byId(b);
  const samples = { a: new Map<string, MessageSample[]>(), b: new Map<string, MessageSample[]>() };
  const statuses = { a: new Map<string, number>(), b: new Map<string, number>() };
  const allStatusesB = new Map<string, Set<number>>();
  const usedBy = new Map<string, Set<string>>();
  const out: DriftScenario[] = [];
  const deferred: DeferredMessage[] = [];

  for (const scenario of scenarios) {
    const ra = resultsA.get(scenario.id);
    const rb = resultsB.get(scenario.id);
    if (!ra && !rb) continue;
    const entry: DriftScenario = {
      id: scenario.id,
      title: scenario.title,
      tier: scenario.tier,
      source: scenario.source,
      ...(ra ? { a: ra } : {}),
      ...(rb ? { b: rb } : {}),
      steps: [],
      differences: [],
    };
    out.push(entry);
    const ranA = ra && ra.status !== "skipped";
    const ranB = rb && rb.status !== "skipped";
    if (!ranA || !ranB) {
      entry.onlyOneSide = !ranA && !ranB ? "ran on neither side" : `ran on ${ranA ? "A" : "B"} only (${(ranA ? rb : ra)?.reason ?? "not run"})`;
      continue;
    }
    const diff = ({ tier, ...d }: Omit<Difference, "scenario" | "tier"> & { tier?: Tier }) =>
      entry.differences.push({ scenario: scenario.id, tier: scenario.tier === "inferred" ? "inferred" : (tier ?? "documented"), ...d });

    const indexes = [...new Set([...stepsOf(ra), ...stepsOf(rb)].map((s) => s.index!))].sort((x, y) => x - y);
    for (const index of indexes) {
      const sa = stepsOf(ra).find((s) => s.index === index);
      const sb = stepsOf(rb).find((s) => s.index === index);
      const step = scenario.steps[index];
      const expect = step?.expect;
      const name = expect?.message ?? expect?.inferred?.message ?? kindOfMessage(contract, sa, sb);
      const pair: PairedStep = { index, ...(sa ? { a: sa } : {}), ...(sb ? { b: sb } : {}), messages: {}, kind: name };
      entry.steps.push(pair);
      // What the suite could send depends on each side's accounts (a field empty there, an account no key reads): a
      // request sent on one side only, or with other fields, says nothing of the services. Listed, never counted.
      if (!sa || !sb) {
        diff({
          step: index,
          aspect: "status",
          kind: "allowed",
          a: sa ? "sent" : "not sent",
          b: sb ? "sent" : "not sent",
          what: "this request was sent on one side only (its fields are empty, or its account unreadable, on the other side)",
          tier: "inferred",
        });
        continue;
      }
      const [ea, eb] = [sa.exchange, sb.exchange];
      // One side read through the vendor's search (GET), the other with an email-only update (POST): two endpoints'
      // answers, not comparable. What each read showed is judged by that side's own run.
      if (sa.kind === "read" && ea.request.method !== eb.request.method) {
        const how = (ex: typeof ea) => (ex.request.method === "GET" ? "read through search" : "read with an email-only update");
        diff({
          step: index,
          aspect: "status",
          kind: "allowed",
          a: how(ea),
          b: how(eb),
          what: "a read through the vendor's search on one side, with an email-only update on the other: the answers of two endpoints are not compared",
          tier: "inferred",
        });
        continue;
      }
      // null sent to whichever fields each side's account holds empty: other fields are another question, not comparable.
      if (step && "send" in step && step.send.nullForEmpty && fieldsSent(ea.request.body) !== fieldsSent(eb.request.body)) {
        diff({
          step: index,
          aspect: "status",
          kind: "allowed",
          a: fieldsSent(ea.request.body),
          b: fieldsSent(eb.request.body),
          what: "null was sent to other fields on each side (each side's accounts hold other fields empty)",
          tier: "inferred",
        });
        continue;
      }
      const statusA = ea.response ? String(ea.response.status) : `no answer (${ea.transportError})`;
      const statusB = eb.response ? String(eb.response.status) : `no answer (${eb.transportError})`;
      // A status is documented when the scenario names it, or names a refusal that only one side gave.
      const refused = (s?: number) => s !== undefined && s >= 400 && s < 500;
      const bothRefused = refused(ea.response?.status) && refused(eb.response?.status);
      const statusTier: Tier = expect?.status !== undefined || (expect?.refused && !bothRefused) ? "documented" : "inferred";
      if (statusA !== statusB)
        diff({ step: index, aspect: "status", kind: "behaviour", a: statusA, b: statusB, what: `status ${statusA} vs ${statusB}`, tier: statusTier });
      for (const [headers, tier] of [
        [expect?.headers, "documented"],
        [expect?.inferred?.headers, "inferred"],
      ] as const) {
        for (const header of Object.keys(headers ?? {})) {
          const ha = ea.response?.headers[header.toLowerCase()] ?? "(none)";
          const hb = eb.response?.headers[header.toLowerCase()] ?? "(none)";
          if (ha !== hb) diff({ step: index, aspect: "header", kind: "behaviour", a: ha, b: hb, what: `header ${header}: ${ha} vs ${hb}`, tier });
        }
      }
      // A different status explains a different envelope and user: they are compared only when the statuses agree.
      const sameStatus = statusA === statusB;
      const envA = envelopeOf(ea.response?.json);
      const envB = envelopeOf(eb.response?.json);
      if (sameStatus && envA.shape !== envB.shape)
        diff({ step: index, aspect: "envelope", kind: "behaviour", a: envA.shape, b: envB.shape, what: `envelope ${envA.shape} vs ${envB.shape}` });
      const extra = difference(envA.extra, envB.extra);
      if (extra)
        diff({
          step: index,
          aspect: "envelope",
          kind: "allowed",
          a: envA.extra.join(", ") || "(none)",
          b: envB.extra.join(", ") || "(none)",
          what: `extra envelope keys: ${extra}`,
        });

      const ma = messageOf(ea.response?.json);
      const mb = messageOf(eb.response?.json);
      const na = ma === undefined ? undefined : normalize({ text: ma, values: valuesOf(sa) });
      const nb = mb === undefined ? undefined : normalize({ text: mb, values: valuesOf(sb) });
      pair.messages = { ...(na !== undefined ? { a: na } : {}), ...(nb !== undefined ? { b: nb } : {}) };
      const documented = name === "success" || (name !== "other" && contract.message(name as never).tier === "documented");
      if (name === "other" && ma !== undefined && mb !== undefined) {
        // Perhaps a kind both sides word their own way (an aligned fake, say): decided once their wording is known.
        deferred.push({ pair, ma, mb, valuesA: valuesOf(sa), valuesB: valuesOf(sb), ...(eb.response ? { statusB: eb.response.status } : {}), diff });
      } else if (documented || name === "other") {
        if (na !== nb)
          diff({
            step: index,
            aspect: "message",
            kind: "wording",
            a: JSON.stringify(na ?? null),
            b: JSON.stringify(nb ?? null),
            what: `message ${JSON.stringify(na ?? null)} vs ${JSON.stringify(nb ?? null)}`,
            tier: documented ? "documented" : "inferred",
          });
      } else {
        // Inferred wording is compared once per kind of message, as a template (see `wording`).
        if (ma !== undefined) push(samples.a, name, { text: ma, values: valuesOf(sa) });
        if (mb !== undefined) push(samples.b, name, { text: mb, values: valuesOf(sb) });
        if (ea.response) statuses.a.set(name, ea.response.status);
        if (eb.response) {
          statuses.b.set(name, eb.response.status);
          (allStatusesB.get(name) ?? allStatusesB.set(name, new Set()).get(name)!).add(eb.response.status);
        }
        (usedBy.get(name) ?? usedBy.set(name, new Set()).get(name)!).add(scenario.id);
      }

      const ua = userShape(contract, ea.response?.json);
      const ub = userShape(contract, eb.response?.json);
      if (sameStatus && ua && ub) {
        const missing = difference(ua.fields, ub.fields);
        if (missing)
          diff({
            step: index,
            aspect: "shape",
            kind: "behaviour",
            a: ua.fields.join(", "),
            b: ub.fields.join(", "),
            what: `user fields present on one side only: ${missing}`,
            tier: "inferred",
          });
        const types = ua.fields.filter(
          (f) => ub.fields.includes(f) && ua.types[f] !== ub.types[f] && ua.types[f] !== "null" && ub.types[f] !== "null",
        );
        if (types.length > 0)
          diff({
            step: index,
            aspect: "shape",
            kind: "behaviour",
            a: types.map((f) => `${f}: ${ua.types[f]}`).join(", "),
            b: types.map((f) => `${f}: ${ub.types[f]}`).join(", "),
            what: `user field types differ: ${types.join(", ")}`,
          });
        const extra2 = difference(ua.extra, ub.extra);
        if (extra2)
          diff({
            step: index,
            aspect: "shape",
            kind: "allowed",
            a: ua.extra.join(", ") || "(none)",
            b: ub.extra.join(", ") || "(none)",
            what: `extra user fields (the contract allows them): ${extra2}`,
          });
      }
    }
    const changedA = (ra.restore?.accounts.length ?? 0) > 0;
    const changedB = (rb.restore?.accounts.length ?? 0) > 0;
    if (changedA !== changedB) {
      diff({
        aspect: "profile",
        kind: "behaviour",
        a: changedA ? "changed a profile" : "changed nothing",
        b: changedB ? "changed a profile" : "changed nothing",
        what: `the scenario changed a profile on ${changedA ? "A" : "B"} only`,
      });
    }
  }

  const wording: WordingComparison[] = [...usedBy.keys()].sort().map((name) => {
    const ta = templateOf(samples.a.get(name) ?? []);
    const tb = templateOf(samples.b.get(name) ?? []);
    const sa = statuses.a.get(name);
    const sb = statuses.b.get(name);
    return {
      name,
      ...(ta !== undefined ? { a: ta } : {}),
      ...(tb !== undefined ? { b: tb } : {}),
      ...(sa !== undefined ? { statusA: sa } : {}),
      ...(sb !== undefined ? { statusB: sb } : {}),
      statusesB: [...(allStatusesB.get(name) ?? [])].sort((x, y) => x - y),
      examplesB: (samples.b.get(name) ?? []).slice(0, 3).map((sample) => sample.text),
      scenarios: [...usedBy.get(name)!].sort(),
      same: ta === tb,
    };
  });
  // A message of no named kind, on both sides of the kind of message each side gives for one named failure, is that
  // failure: its wording is compared with the kind's. Otherwise the two messages are compared as they are.
  const fits = (template: string | undefined, text: string, values: Values) => template !== undefined && fitsTemplate(template, text, values);
  for (const d of deferred) {
    const kind = wording.find((w) => fits(w.a, d.ma, d.valuesA) && fits(w.b, d.mb, d.valuesB));
    if (kind) {
      d.pair.kind = kind.name;
      if (d.statusB !== undefined) {
        // Counted with the kind's other answers: B's statuses for one kind decide whether a profile can copy it.
        (allStatusesB.get(kind.name) ?? allStatusesB.set(kind.name, new Set()).get(kind.name)!).add(d.statusB);
        kind.statusesB = [...allStatusesB.get(kind.name)!].sort((x, y) => x - y);
      }
      continue;
    }
    const [na, nb] = [d.pair.messages.a, d.pair.messages.b];
    if (na !== nb)
      d.diff({
        step: d.pair.index,
        aspect: "message",
        kind: "wording",
        a: JSON.stringify(na ?? null),
        b: JSON.stringify(nb ?? null),
        what: `message ${JSON.stringify(na ?? null)} vs ${JSON.stringify(nb ?? null)}`,
        tier: "inferred",
      });
  }
  const differences = [
    ...out.flatMap((s) => s.differences),
    ...wording
      .filter((w) => !w.same)
      .map((w): Difference => ({
        scenario: w.scenarios.join(", "),
        aspect: "message",
        tier: "inferred",
        kind: "wording",
        a: JSON.stringify(w.a ?? null),
        b: JSON.stringify(w.b ?? null),
        what: `${w.name}: ${JSON.stringify(w.a ?? null)} vs ${JSON.stringify(w.b ?? null)}`,
      })),
  ];
  return { scenarios: out, wording, differences };
}

type Values = Record<string, string | undefined>;

interface DeferredMessage {
  pair: PairedStep;
  ma: string;
  mb: string;
  valuesA: Values;
  valuesB: Values;
  statusB?: number;
  diff: (d: Omit<Difference, "scenario" | "tier"> & { tier?: Tier }) => void;
}

/** A step that expects no message: the success message, or the kind of failure whose template a side's message fits. */
function kindOfMessage(contract: Contract, ...steps: (StepResult | undefined)[]): string {
  if (steps.some((s) => s?.exchange.response?.status === 200)) return "success";
  for (const step of steps) {
    const message = messageOf(step?.exchange.response?.json);
    if (message === undefined) continue;
    const match = INFERRED_KINDS.find((name) => matchesTemplate(contract.message(name).template, valuesOf(step!) as Record<string, string>, message));
    if (match) return match;
  }
  return "other";
}

/** Placeholders a template may have for a message to be classified by it (see fitsTemplate). */
const MAX_PLACEHOLDERS = 3;

/**
 * Whether a message follows a template made from a service's messages. Only plain templates count: each placeholder
 * is a `[\s\S]+` of the pattern, and a template full of them (a service's own text may hold braces) would make a
 * failed match slow (its cost grows as a power of the text's length). A template of placeholders alone, with no
 * words of its own, would fit any message: it classifies none.
 */
export function fitsTemplate(template: string, text: string, values: Readonly<Record<string, string | undefined>>): boolean {
  if (text.length > 1000 || (template.match(/\{\w+\}/g)?.length ?? 0) > MAX_PLACEHOLDERS) return false;
  if (template.replace(/\{\w+\}/g, "").trim().length < 3) return false;
  return matchesTemplate(template, values as Record<string, string>, text);
}

const INFERRED_KINDS = [
  "missingApiKey",
  "unknownApiKey",
  "malformedJson",
  "invalidRequestBody",
  "methodNotAllowed",
  "payloadTooLarge",
  "unsupportedMediaType",
] as const;

function stepsOf(result: ScenarioResult): StepResult[] {
  return result.steps.filter((s) => (s.kind === "send" || s.kind === "read") && s.index !== undefined);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  (map.get(key) ?? map.set(key, []).get(key)!).push(value);
}

/** Elements in one list and not the other, as "a-only: x; b-only: y", or undefined. */
function difference(a: readonly string[], b: readonly string[]): string | undefined {
  const onlyA = a.filter((x) => !b.includes(x));
  const onlyB = b.filter((x) => !a.includes(x));
  if (onlyA.length === 0 && onlyB.length === 0) return undefined;
  return [onlyA.length ? `A only: ${onlyA.join(", ")}` : "", onlyB.length ? `B only: ${onlyB.join(", ")}` : ""].filter(Boolean).join("; ");
}

const ENVELOPE_KEYS = ["status", "success", "message", "data"];

function envelopeOf(json: unknown): { shape: string; extra: string[] } {
  if (!json || typeof json !== "object" || Array.isArray(json))
    return { shape: json === undefined ? "not JSON" : `JSON ${Array.isArray(json) ? "array" : typeof json}`, extra: [] };
  const body = json as Record<string, unknown>;
  const shape = ENVELOPE_KEYS.filter((k) => k in body)
    .map((k) => `${k}:${typeOf(body[k])}`)
    .join(" ");
  return {
    shape: `{${shape}}`,
    extra: Object.keys(body)
      .filter((k) => !ENVELOPE_KEYS.includes(k))
      .sort(),
  };
}

function messageOf(json: unknown): string | undefined {
  const message = (json as { message?: unknown } | undefined)?.message;
  return typeof message === "string" ? message : undefined;
}

function userShape(contract: Contract, json: unknown): { fields: string[]; extra: string[]; types: Record<string, string> } | undefined {
  const user = (json as { data?: { user?: unknown } } | undefined)?.data?.user;
  if (!user || typeof user !== "object") return undefined;
  const record = user as Record<string, unknown>;
  const known = ["email", ...contract.profileFields];
  const keys = Object.keys(record);
  return {
    fields: keys.filter((k) => known.includes(k)).sort(),
    extra: keys.filter((k) => !known.includes(k)).sort(),
    types: Object.fromEntries(keys.map((k) => [k, typeOf(record[k])])),
  };
}

function typeOf(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}

/** The request's own values, which a message may repeat: its email, method and path. */
function valuesOf(step: StepResult): Record<string, string | undefined> {
  const request = step.exchange.request;
  let email: string | undefined;
  try {
    const data = (JSON.parse(request.body ?? "null") as { data?: { email?: unknown } } | null)?.data;
    if (typeof data?.email === "string") email = data.email;
  } catch {
    // a malformed body on purpose: no email to find
  }
  // A key the scenario sent on purpose (an unknown one): a message that repeats it shows as {key}. The run's own key
  // is recorded as a reference ($CV_API_KEY), never as itself.
  const key = request.headers["cv-api-key"];
  return {
    email,
    method: request.method === "POST" ? undefined : request.method,
    path: new URL(request.url).pathname,
    key: key === KEY_REFERENCE ? undefined : key,
  };
}

/** The data fields a request body carries, sorted: two requests with other fields are not the same question. */
function fieldsSent(body: string | undefined): string {
  try {
    const data = (JSON.parse(body ?? "") as { data?: unknown }).data;
    return data !== null && typeof data === "object" && !Array.isArray(data) ? Object.keys(data).sort().join(",") : "";
  } catch {
    return "";
  }
}
