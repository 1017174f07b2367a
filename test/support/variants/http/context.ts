// What every HTTP adapter of one deployment shares.
import type { Break } from "../breaks.js";
import type { Knobs } from "../knobs.js";
import type { Store } from "../store.js";

export interface Deployment {
  knobs: Knobs;
  store: Store;
  has: (b: Break) => boolean;
}
