// json-server 0.17 ships no types; these cover the parts of its programmatic API the fake uses. The fake imports
// its router (for the lowdb database it builds) and its collection router directly, which skips loading json-server's
// defaults (logger, static, …).
declare module "json-server/lib/server/router/index.js" {
  import type { Router, Request, Response } from "express";

  /** lowdb 1.x, as json-server's router exposes it. */
  export interface LowDb<State> {
    getState(): State;
    setState(state: State): LowDb<State>;
  }

  export interface JsonServerRouter<State> extends Router {
    db: LowDb<State>;
    render: (req: Request, res: Response) => void;
  }

  export default function router<State extends object>(source: State, options?: { foreignKeySuffix?: string }): JsonServerRouter<State>;
}

declare module "json-server/lib/server/router/plural.js" {
  import type { Router } from "express";
  import type { LowDb } from "json-server/lib/server/router/index.js";

  /** The router json-server mounts for one collection (GET/POST /, GET/PUT/PATCH/DELETE /:id). */
  export default function plural<State>(db: LowDb<State>, name: string, options: { foreignKeySuffix: string; _isFake: boolean }): Router;
}
