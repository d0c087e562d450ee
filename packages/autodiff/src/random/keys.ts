/** Keys: making one from a seed, splitting one into several, folding data into one. */
import type { Backend } from '@equinox-ts/kernels';
import { getDefaultBackend } from '../core/default-backend.js';
import { TensorError, avalText, valueText } from '../core/errors.js';
import { Tensor } from '../tensor.js';
import { filled } from '../primitives/constants.js';
import { concat, reshape } from '../primitives/layout.js';
import { checkKey, checkShape } from './checks.js';
import { splitWords } from './counters.js';
import { threefry2x32 } from './threefry.js';
import { u32 } from './uint32.js';

/** Options of {@link key}. */
export interface KeyOptions {
  /** Where the key lives (default: the default backend). Keys made from it stay there. */
  backend?: Backend;
}

/**
 * A random key made from an integer seed: an int32 tensor of shape [2] holding the two uint32 words
 * of JAX's default (Threefry-2x32) key, bit for bit. As in JAX with its default 32-bit mode, the seed
 * is taken modulo 2^32 and the words are `[0, seed mod 2^32]`, so `key(-1)` holds the bits of
 * `[0, 4294967295]` (JAX with `jax_enable_x64` would put the seed's high 32 bits in the first word).
 * The seed may also be a 0-d int32 tensor, so that keys can be made inside transformed functions.
 *
 * @example
 * ```ts
 * random.key(0).tolist(); // [0, 0]
 * random.key(42).tolist(); // [0, 42]
 * random.key(-1).tolist(); // [0, -1]
 * random.key(2 ** 32 + 7).tolist(); // [0, 7]
 * ```
 */
export function key(seed: number | Tensor, options: KeyOptions = {}): Tensor {
  return keyFor('key', seed, options);
}

/** {@link key}, with errors naming `op` (`key` or `PRNGKey`). */
function keyFor(op: string, seed: number | Tensor, options: KeyOptions): Tensor {
  if (seed instanceof Tensor) {
    if (seed.ndim !== 0 || seed.dtype !== 'int32') {
      throw new TensorError(
        op,
        `\`seed\` must be an integer or a 0-d int32 tensor, found ${avalText(seed)}`,
      );
    }
    return concat([reshape(u32(seed, 0), [1]), reshape(seed, [1])], 0);
  }
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    const found = typeof seed === 'number' ? String(seed) : valueText(seed);
    throw new TensorError(op, `\`seed\` must be a safe integer, found ${found}`);
  }
  const backend = options.backend ?? getDefaultBackend();
  return Tensor._fromArray(backend.upload(new Int32Array([0, seed | 0]), [2]));
}

/**
 * The same as {@link key}: JAX's older name for making a key, which in JAX returns the raw uint32
 * words (here, every key is its raw words).
 *
 * @example
 * ```ts
 * random.PRNGKey(7).tolist(); // [0, 7]
 * ```
 */
export function PRNGKey(seed: number | Tensor, options: KeyOptions = {}): Tensor {
  return keyFor('PRNGKey', seed, options);
}

/**
 * The raw words of a key or a batch of keys `[..., 2]` (keys are their words here, so this checks
 * the argument and returns it). Read them as uint32 with `>>> 0`.
 *
 * @example
 * ```ts
 * random.keyData(random.key(3)).tolist(); // [0, 3]
 * ```
 */
export function keyData(keys: Tensor): Tensor {
  if (
    !(keys instanceof Tensor) ||
    keys.dtype !== 'int32' ||
    keys.ndim < 1 ||
    keys.shape[keys.ndim - 1] !== 2
  ) {
    const found = keys instanceof Tensor ? avalText(keys) : typeof keys;
    throw new TensorError(
      'keyData',
      `\`keys\` must be an int32 tensor of shape [..., 2], found ${found}`,
    );
  }
  return keys;
}

/**
 * New keys from `key`: `num` of them as an int32 tensor `[num, 2]`, or `[...num, 2]` for a shape.
 * Key `i` is the Threefry hash of the counter `i`, JAX's default split since 0.5
 * (`jax_threefry_partitionable`; see {@link threefryPartitionable} for the older one), so the words
 * equal JAX's and `split(key, n)[i]` equals `foldIn(key, i)` for every `n`.
 *
 * @example
 * ```ts
 * const [k1, k2] = [0, 1].map((i) => random.split(random.key(0)).get(i));
 * k1.shape; // [2]
 * random.split(random.key(0), 3).shape; // [3, 2]
 * random.split(random.key(0), [2, 3]).shape; // [2, 3, 2]
 * ```
 */
export function split(key: Tensor, num: number | readonly number[] = 2): Tensor {
  checkKey('split', key);
  const shape = typeof num === 'number' ? [num] : num;
  checkShape('split', shape, 'num');
  return splitWords(key, shape);
}

/**
 * A new key that depends on `key` and the 32-bit integer `data` (taken modulo 2^32; a 0-d int32
 * tensor also works): JAX's `fold_in`, bit for bit. Folding in `0, 1, 2, ...` gives the same keys as
 * splitting.
 *
 * @example
 * ```ts
 * const k = random.key(0);
 * Array.from(random.foldIn(k, 4).dataSync(), (w) => w >>> 0); // [2285895361, 433833334]
 * String(random.foldIn(k, 4).tolist()) === String(random.split(k, 5).get(4).tolist()); // true
 * ```
 */
export function foldIn(key: Tensor, data: number | Tensor): Tensor {
  checkKey('foldIn', key);
  let counter: Tensor;
  if (data instanceof Tensor) {
    if (data.ndim !== 0 || data.dtype !== 'int32') {
      throw new TensorError(
        'foldIn',
        `\`data\` must be an integer or a 0-d int32 tensor, found ${avalText(data)}`,
      );
    }
    counter = data;
  } else {
    if (typeof data !== 'number' || !Number.isSafeInteger(data)) {
      throw new TensorError('foldIn', `\`data\` must be a safe integer, found ${String(data)}`);
    }
    counter = filled([], data | 0, 'int32', key.backend);
  }
  const [high, low] = threefry2x32(key, u32(key, 0), counter);
  return concat([reshape(high, [1]), reshape(low, [1])], 0);
}
