/**
 * Seeded randomness for the playground's data: the split, the batch order and the toy datasets are the
 * same on every visit with the same seed.
 */

/**
 * A seeded generator of floats in [0, 1) (mulberry32: 32 bits of state, fast, and good enough to shuffle
 * data and draw points). The seed is taken as an unsigned 32-bit integer.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** The integers `0 .. n - 1` in a random order (Fisher-Yates, so every order is equally likely). */
export function shuffled(n: number, random: () => number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = order[i]!;
    order[i] = order[j]!;
    order[j] = swap;
  }
  return order;
}

/** One draw from the standard normal distribution (Box-Muller, from two uniform draws). */
export function normal(random: () => number): number {
  // 1 - u lies in (0, 1], so the logarithm is finite.
  const radius = Math.sqrt(-2 * Math.log(1 - random()));
  return radius * Math.cos(2 * Math.PI * random());
}
