// POST /api/v1/users {action: "UPDATE_PROFILE"}: the rule functions' outcome, answered.
import type { RequestHandler } from "express";
import type { Organization } from "../domain.js";
import { SUCCESS_MESSAGE } from "../messages.js";
import { presentUser } from "../present-user.js";
import { compileSchemas } from "../profile-schema.js";
import { updateProfile } from "../update-profile.js";
import type { Deployment } from "./context.js";
import { refuse, sendDocumented } from "./refuse.js";
import { sendJson } from "./send.js";

export function updateRoute(d: Deployment): RequestHandler {
  const { knobs: k, has } = d;
  const schemas = compileSchemas(k, has);
  return (req, res) => {
    const organization = res.locals.organization as Organization;
    const outcome = updateProfile({ store: d.store, knobs: k, has, organization, schemas }, req.body);
    if (outcome.kind === "refused") return refuse(req, res, d, outcome.refusal, outcome.detail);
    if (outcome.kind === "documented") return sendDocumented(req, res, d, outcome.failure, outcome.email);
    const status = has("success-201") ? 201 : 200;
    const user = presentUser(outcome.user, k, k.dobOut);
    sendJson(req, res, k, status, {
      status,
      success: true,
      message: has("success-message-reworded") ? "Profile updated" : SUCCESS_MESSAGE,
      data: has("user-not-nested") ? user : { user },
    });
  };
}
