// One conforming deployment (or one with planted breaks), served on 127.0.0.1 at a port of its own.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Break } from "./breaks.js";
import { knobsForBreaks } from "./breaks.js";
import { HEALTH_FIELDS, PROFILE_FIELDS } from "./domain.js";
import { createApp } from "./http/app.js";
import type { Knobs } from "./knobs.js";
import { qaAccounts, type QaData } from "./qa-accounts.js";
import { Store } from "./store.js";
import type { TargetFile } from "./target-file.js";

export interface VariantDeployment {
  /** http://127.0.0.1:PORT (the service root; the endpoint is /api/v1/users). */
  url: string;
  /** The main organization's key. */
  apiKey: string;
  /** A second organization's key. */
  otherApiKey: string;
  target: TargetFile;
  /** The knobs it runs with: the ones given, adjusted where a planted break needs a choice to exist. */
  knobs: Knobs;
  breaks: readonly Break[];
  /** The seeded data, for tests that need an account the target file does not name. */
  qa: QaData;
  /** Every user's stored profile fields (email -> fields), all organizations, as the table holds them now. */
  profiles(): Record<string, Record<string, unknown>>;
  /** Resolves once every queued (write-behind) write has been applied and the replica has caught up. */
  settled(): Promise<void>;
  requestCount(): number;
  close(): Promise<void>;
}

export async function startVariant(o: { knobs: Knobs; breaks?: readonly Break[] }): Promise<VariantDeployment> {
  const breaks = [...(o.breaks ?? [])];
  const knobs = knobsForBreaks(o.knobs, breaks);
  const qa = qaAccounts(knobs.accounts);
  const store = new Store(qa, knobs.consistency, knobs.lagMs);
  let requests = 0;
  const app = createApp({ knobs, store, has: (b) => breaks.includes(b) }, () => void requests++);
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const fields = [...PROFILE_FIELDS, ...(knobs.extras.includes("health") ? HEALTH_FIELDS : [])];
  const [main, other] = qa.organizations;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey: main.apiKey,
    otherApiKey: other.apiKey,
    target: qa.target,
    knobs,
    breaks,
    qa,
    profiles: () => Object.fromEntries(store.tableRows().map((u) => [u.email, Object.fromEntries(fields.map((f) => [f, u[f]]))])),
    settled: () => store.settled(),
    requestCount: () => requests,
    close: async () => {
      store.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
