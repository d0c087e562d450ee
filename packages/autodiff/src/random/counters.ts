/**
 * Which counters `split` and `bits` hash. Since JAX 0.5 the default is the partitionable scheme
 * (`jax_threefry_partitionable`): element `i` (row-major) of the requested shape gets the 64-bit
 * counter `i` as the word pair (high, low), JAX's `iota_2x32_shape`, so each element depends only on
 * the key and its own index. The scheme before it hashed `iota(n)` split in two halves, paired up; it
 * is kept behind {@link threefryPartitionable} for reproducing older JAX results.
 */
import type { Tensor } from '../tensor.js';
import { iotaLike } from '../primitives/constants.js';
import { binary } from '../primitives/elementwise.js';
import { concat, pad, reshape, slice } from '../primitives/layout.js';
import { sizeOf } from './checks.js';
import { threefry2x32 } from './threefry.js';
import { u32 } from './uint32.js';

let partitionable = true;

/**
 * Runs `fn` with JAX's `jax_threefry_partitionable` flag set to `enabled`, then restores it, and
 * returns what `fn` returns: JAX's `jax.threefry_partitionable` context manager. The flag is on by
 * default, as in JAX since 0.5; turning it off gives the keys and bits of JAX before 0.5 (which
 * `split`, `bits` and every sampler then follow; `foldIn` is the same under both).
 *
 * @example
 * ```ts
 * const legacy = random.threefryPartitionable(false, () => random.split(random.key(0), 4));
 * Array.from(legacy.get(0).dataSync(), (w) => w >>> 0); // [2285895361, 1501764800]
 * ```
 */
export function threefryPartitionable<T>(enabled: boolean, fn: () => T): T {
  const previous = partitionable;
  partitionable = enabled;
  try {
    return fn();
  } finally {
    partitionable = previous;
  }
}

/** The counters 0..n-1 as int32 on the key's backend. */
function iota(key: Tensor, n: number): Tensor {
  return iotaLike([n], 0, 'int32', key.backend);
}

/**
 * JAX's `threefry_2x32(key, count)` of the scheme before 0.5: the flat counts, padded with a 0 to an
 * even length, split into halves that are hashed as pairs; the two output halves are joined back.
 */
function hashHalves(key: Tensor, count: Tensor): Tensor {
  const n = count.shape[0]!;
  const even = n % 2 === 0 ? count : pad(count, [0], [1], 0);
  const half = even.shape[0]! / 2;
  const [y0, y1] = threefry2x32(key, slice(even, [0], [half]), slice(even, [half], [2 * half]));
  const joined = concat([y0, y1], 0);
  return n % 2 === 0 ? joined : slice(joined, [0], [n]);
}

/** `split`'s words: `[...shape, 2]` int32. */
export function splitWords(key: Tensor, shape: readonly number[]): Tensor {
  const n = sizeOf(shape);
  if (!partitionable) return reshape(hashHalves(key, iota(key, 2 * n)), [...shape, 2]);
  // Tensors hold fewer than 2^31 elements, so every counter's high word is 0.
  const [high, low] = threefry2x32(key, u32(key, 0), reshape(iota(key, n), shape));
  return concat([reshape(high, [...shape, 1]), reshape(low, [...shape, 1])], shape.length);
}

/** `bits`' words: 32 random bits per element of `shape`, int32. */
export function randomWords(key: Tensor, shape: readonly number[]): Tensor {
  const n = sizeOf(shape);
  if (!partitionable) return reshape(hashHalves(key, iota(key, n)), shape);
  const [high, low] = threefry2x32(key, u32(key, 0), reshape(iota(key, n), shape));
  return binary('bitwiseXor', high, low);
}
