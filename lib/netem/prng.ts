/**
 * mulberry32: a tiny 32-bit PRNG. Not cryptographic; used so that an impairment run with the
 * same seed makes the same decisions for the same packet sequence.
 */
export type Random = () => number;

/** A generator of numbers in [0, 1) determined entirely by `seed`. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Derives independent seeds (e.g. one per direction) from one run seed. */
export function deriveSeed(seed: number, stream: number): number {
  return mulberry32((seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0)() * 4294967296;
}
