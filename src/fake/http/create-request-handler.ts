/**
 * @module fake/http/create-request-handler
 * One node:http listener: the API endpoint on a thin path of its own (no framework on the hot path),
 * the admin API under /__admin, and a JSON 404 for anything else.
 */
import type { RequestListener } from "node:http";
import type { Contract } from "../../contract/contract.js";
import { UPDATE_PROFILE_PATH } from "../../contract/contract.js";
import { ADMIN_PREFIX } from "./admin-routes.js";
import { trackExchange } from "./client-errors.js";
import { refuseUnread } from "./skip-body.js";

export function createRequestHandler(
  contract: Contract,
  updateProfile: (req: Parameters<RequestListener>[0], res: Parameters<RequestListener>[1], path: string) => void,
  admin: RequestListener,
  bodyLimit: number,
): RequestListener {
  return (req, res) => {
    trackExchange(req, res);
    const url = req.url ?? "/";
    const queryAt = url.indexOf("?");
    const path = queryAt < 0 ? url : url.slice(0, queryAt);

    if (path === UPDATE_PROFILE_PATH || path === `${UPDATE_PROFILE_PATH}/`) {
      updateProfile(req, res, path);
      return;
    }
    if (path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`)) {
      admin(req, res);
      return;
    }
    refuseUnread(req, res, bodyLimit, contract.message("adminNotFound"), {
      path: `${req.method} ${path}. This server serves POST ${UPDATE_PROFILE_PATH} and ${ADMIN_PREFIX}`,
    });
  };
}
