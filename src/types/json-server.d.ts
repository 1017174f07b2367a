// json-server 0.17 ships no types; these cover the parts of its programmatic API the fake uses. The fake imports
// the router and the body parser directly, which skips loading json-server's defaults (logger, static, …).
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

declare module "json-server/lib/server/body-parser.js" {
  import type { RequestHandler } from "express";

  const bodyParser: RequestHandler[];
  export default bodyParser;
}
