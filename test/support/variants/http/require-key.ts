// The cv-api-key middleware: resolves the key to its organization, or refuses.
import type { RequestHandler } from "express";
import type { Deployment } from "./context.js";
import { refuse } from "./refuse.js";

export function requireKey(d: Deployment): RequestHandler {
  const fallback = d.store.organizations[0];
  return (req, res, next) => {
    const key = req.headers["cv-api-key"];
    if (key === undefined) {
      if (!d.has("no-key-accepted")) return refuse(req, res, d, "missingKey");
      res.locals.organization = fallback;
      return next();
    }
    const text = Array.isArray(key) ? key.join(", ") : key;
    if (text.trim() === "") return refuse(req, res, d, "emptyKey");
    const organization = d.store.organizationByKey(text) ?? (d.has("unknown-key-accepted") ? fallback : undefined);
    if (!organization) return refuse(req, res, d, "unknownKey");
    res.locals.organization = organization;
    next();
  };
}
