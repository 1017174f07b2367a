// GET /api/v1/users (the vendor's "Search users"): users of the key's organization, email as a prefix, by createdAt.
import type { RequestHandler } from "express";
import { z } from "zod";
import type { Organization, User } from "../domain.js";
import { presentUser } from "../present-user.js";
import { firstProblem } from "../profile-schema.js";
import type { Deployment } from "./context.js";
import { refuse } from "./refuse.js";
import { sendJson } from "./send.js";

const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const QUERY = z.object({
  email: z.preprocess(one, z.string().optional()),
  limit: z.preprocess(
    one,
    z.coerce.number().int("limit must be a whole number").min(1, "limit must be at least 1").max(100, "limit must be at most 100").default(10),
  ),
  after: z.preprocess(one, z.string().optional()),
  sortBy: z.preprocess(one, z.enum(["createdAt"], "sortBy must be createdAt").default("createdAt")),
  sorOrder: z.preprocess(one, z.enum(["asc", "desc"], "sorOrder must be asc or desc").default("asc")),
});

const cursorOf = (user: User) => Buffer.from(JSON.stringify([user.createdAt, user.id])).toString("base64url");
const byCreation = (a: User, b: User) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

export function searchRoute(d: Deployment): RequestHandler {
  const { knobs: k } = d;
  return (req, res) => {
    const query = QUERY.safeParse(req.query);
    if (!query.success) return refuse(req, res, d, "invalidField", firstProblem(query.error));
    const { email, limit, after, sorOrder } = query.data;
    const organization = res.locals.organization as Organization;
    const prefix = email === undefined ? "" : k.emailMatch === "caseInsensitive" ? email.toLowerCase() : email;
    let users = d.store
      .readAll()
      .filter(
        (u) => u.organizationId === organization.id && (k.emailMatch === "caseInsensitive" ? u.email.toLowerCase() : u.email).startsWith(prefix),
      )
      .sort(byCreation);
    if (sorOrder === "desc") users.reverse();
    if (after !== undefined) {
      const position = users.findIndex((u) => cursorOf(u) === after);
      if (position < 0) return refuse(req, res, d, "invalidField", "after: unknown cursor; pass meta.cursor of the previous page");
      users = users.slice(position + 1);
    }
    const page = users.slice(0, limit);
    const last = page[page.length - 1];
    sendJson(req, res, k, 200, {
      meta: { hasMore: users.length > limit, cursor: last ? cursorOf(last) : null },
      data: page.map((u) => presentUser(u, k, k.search === "dateTime" ? "dateTime" : "date")),
    });
  };
}
