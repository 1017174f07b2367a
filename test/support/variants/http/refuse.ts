// Answers for refusals: the page's envelope for the documented failures, the deployment's own for the rest.
import type { Request, Response } from "express";
import type { RefusalKind } from "../knobs.js";
import type { DocumentedFailure } from "../messages.js";
import { DOCUMENTED_CODES, documentedMessage } from "../messages.js";
import { refusalBody } from "../refusal-body.js";
import type { Deployment } from "./context.js";
import { sendJson } from "./send.js";

export function refuse(req: Request, res: Response, d: Deployment, kind: RefusalKind, detail?: string): void {
  const r = d.knobs.refusals[kind];
  if (kind === "method" && r.status === 405) res.setHeader("Allow", d.knobs.search === "none" ? "POST" : "GET, HEAD, POST");
  sendJson(req, res, d.knobs, r.status, refusalBody(r.status, r.envelope, r.message, r.code, detail));
}

export function sendDocumented(req: Request, res: Response, d: Deployment, failure: DocumentedFailure, email: string): void {
  const { has } = d;
  let message = documentedMessage(failure, email);
  if (failure === "userMissing" && has("user-missing-message-reworded")) message = `User ${email} not found`;
  if (failure === "locked" && has("lock-message-reworded"))
    message = "Cannot update user profile fields (firstName, lastName, dob, gender) for users with active cases";
  const missing = failure === "userMissing";
  const status = missing && has("user-missing-404") ? 404 : missing && has("user-missing-500") ? 500 : 400;
  const body: Record<string, unknown> = { status, success: false, message };
  if (d.knobs.documentedCodes) body.code = DOCUMENTED_CODES[failure];
  sendJson(req, res, d.knobs, status, body, missing && has("user-missing-text-html") ? { contentType: "text/html; charset=utf-8" } : {});
}
