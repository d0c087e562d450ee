/** Random permutations: JAX's sort-based shuffle. */
import { TensorError, avalText } from '../core/errors.js';
import { Tensor } from '../tensor.js';
import { iotaLike } from '../primitives/constants.js';
import { gather, reshape, slice } from '../primitives/layout.js';
import { binary } from '../primitives/elementwise.js';
import { normalizeAxis } from '../numpy/axes.js';
import { array, type ArrayLike } from '../numpy/convert.js';
import { takeAlongAxis } from '../numpy/select.js';
import { argsort } from '../numpy/sorting.js';
import { checkKey } from './checks.js';
import { split } from './keys.js';
import { bits } from './uniform.js';
import { SIGN_BIT, u32 } from './uint32.js';

/**
 * `lax.sort_key_val(sortKeys, values, axis)[1]`: `values` reordered along `axis` by the stable
 * ascending order of the uint32 keys `sortKeys` (int32 bits, same shape). Flipping the sign bit makes
 * the signed order of the sort the unsigned one.
 */
function sortByUnsignedKeys(sortKeys: Tensor, values: Tensor, axis: number): Tensor {
  const order = argsort(binary('bitwiseXor', sortKeys, u32(sortKeys, SIGN_BIT)), { axis });
  return takeAlongAxis(values, order, axis);
}

/**
 * JAX's `_shuffle`: sorts `x` along `axis` by fresh random 32-bit keys, in as many rounds as make
 * colliding keys (which the stable sort would leave in order) negligible: `ceil(3 ln(size) / ln(2^32 - 1))`,
 * one round below about 1600 elements.
 */
function shuffle(key: Tensor, x: Tensor, axis: number): Tensor {
  const rounds = Math.ceil((3 * Math.log(Math.max(1, x.size))) / Math.log(2 ** 32 - 1));
  let current = key;
  for (let round = 0; round < rounds; round++) {
    const keys = split(current);
    current = reshape(slice(keys, [0, 0], [1, 2]), [2]);
    const subkey = reshape(slice(keys, [1, 0], [2, 2]), [2]);
    x = sortByUnsignedKeys(bits(subkey, x.shape), x, axis);
  }
  return x;
}

/** `x` as a tensor on the key's backend, or the count when `x` is an integer (a number or a 0-d int32 tensor). */
export function populationOf(op: string, key: Tensor, x: number | ArrayLike): Tensor | number {
  if (typeof x === 'number') {
    if (!Number.isInteger(x) || x < 0) {
      throw new TensorError(op, `an integer population must be a non-negative integer, found ${x}`);
    }
    return x;
  }
  const t = x instanceof Tensor ? x : array(x, { backend: key.backend });
  if (t.ndim > 0) return t;
  if (t.dtype !== 'int32') {
    throw new TensorError(
      op,
      `\`x\` must be an integer or have at least one dimension, found ${avalText(t)}`,
    );
  }
  return populationOf(op, key, t.item());
}

/** Options of {@link permutation}. */
export interface PermutationOptions {
  /** The axis to shuffle along (default 0). */
  axis?: number;
  /** Shuffle each slice along `axis` separately, instead of moving whole slices (default false). */
  independent?: boolean;
}

/**
 * A random permutation, JAX's `permutation`: of `0..n-1` for an integer `n` (int32), or of `x`'s
 * slices along `axis` (each slice shuffled separately with `independent`). Like JAX it stably sorts by
 * random 32-bit keys, so the same key gives JAX's order (`numpy.argsort`'s bitonic network stands in
 * for XLA's sort).
 *
 * @example
 * ```ts
 * const p = random.permutation(random.key(0), 5);
 * [...p.dataSync()].sort(); // [0, 1, 2, 3, 4]
 * random.permutation(random.key(0), numpy.arange(6).reshape([3, 2])).shape; // [3, 2]
 * ```
 */
export function permutation(
  key: Tensor,
  x: number | ArrayLike,
  options: PermutationOptions = {},
): Tensor {
  checkKey('permutation', key);
  const population = populationOf('permutation', key, x);
  if (typeof population === 'number') {
    return shuffle(key, iotaLike([population], 0, 'int32', key.backend), 0);
  }
  const axis = normalizeAxis('permutation', options.axis ?? 0, population.ndim);
  if (options.independent || population.ndim === 1) return shuffle(key, population, axis);
  const order = shuffle(key, iotaLike([population.shape[axis]!], 0, 'int32', key.backend), 0);
  return gather(population, order, axis);
}
