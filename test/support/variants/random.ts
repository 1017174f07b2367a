// A small seeded generator: the same seed always draws the same deployment, on every machine.

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** One of the choices, uniformly. */
  pick<T>(choices: readonly T[]): T;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** true with probability p. */
  chance(p: number): boolean;
  /** A subset of the choices, each kept with probability p, in their order. */
  subset<T>(choices: readonly T[], p?: number): T[];
}

/** splitmix32 scrambles the seed, so that neighbouring seeds draw unrelated deployments. */
function scramble(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** sfc32 over a scrambled seed; seeds up to 2^53 keep their high bits. */
export function seededRandom(seed: number): Random {
  if (!Number.isSafeInteger(seed)) throw new Error(`A variant seed must be a safe integer, got ${seed}: pass a whole number such as 42.`);
  const low = seed >>> 0;
  const high = Math.floor(seed / 2 ** 32) >>> 0;
  let a = scramble(low);
  let b = scramble(high ^ 0x5bd1e995);
  let c = scramble(low ^ high ^ 0x27d4eb2f);
  let d = 1;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 2 ** 32;
  };
  for (let i = 0; i < 12; i++) next();
  const pick = <T>(choices: readonly T[]): T => {
    if (choices.length === 0) throw new Error("pick() needs at least one choice.");
    return choices[Math.floor(next() * choices.length)] as T;
  };
  return {
    next,
    pick,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    subset: (choices, p = 0.5) => choices.filter(() => next() < p),
  };
}
