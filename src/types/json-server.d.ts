// json-server 0.17 ships no types; these cover the part of its documented programmatic API the fake uses
// (README "Module": `jsonServer.router(db)`, `router.db`, `router.render`).
declare module "json-server" {
  import type { Router, Request, Response } from "express";

  /** lowdb 1.x, as json-server's router exposes it. */
  export interface LowDb<State> {
    getState(): State;
    setState(state: State): LowDb<State>;
  }

  export interface JsonServerRouter<State> extends Router {
    db: LowDb<State>;
    /** Sends `res.locals.data`, which the router's routes leave there; replace it to change how answers are sent. */
    render: (req: Request, res: Response) => void;
  }

  const jsonServer: {
    router<State extends object>(source: State, options?: { foreignKeySuffix?: string }): JsonServerRouter<State>;
  };
  export default jsonServer;
}
