// json-server 0.17 ships no types; these cover the programmatic API the fake uses.
declare module "json-server" {
  import type { Express, RequestHandler, Router, Request, Response } from "express";

  /** lowdb 1.x, as json-server's router exposes it. */
  export interface LowDb<State> {
    getState(): State;
    setState(state: State): LowDb<State>;
  }

  export interface JsonServerRouter<State> extends Router {
    db: LowDb<State>;
    render: (req: Request, res: Response) => void;
  }

  export function create(): Express;
  export function router<State extends object>(source: State, options?: { foreignKeySuffix?: string }): JsonServerRouter<State>;
  export const bodyParser: RequestHandler[];
  export function defaults(options?: Record<string, unknown>): RequestHandler[];
}
