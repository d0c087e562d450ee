/**
 * The Threefry-2x32 block cipher with 20 rounds (Salmon et al., "Parallel Random Numbers: As Easy as
 * 1, 2, 3", SC 2011), the hash behind JAX's default keys, written with int32 tensor operations so it
 * runs on every backend and under every transformation.
 */
import { TensorError, avalText } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import { binary } from '../primitives/elementwise.js';
import { reshape, slice } from '../primitives/layout.js';
import { checkKey } from './checks.js';
import { u32 } from './uint32.js';

/** The rotation distances of Threefry-2x32, four per round group, alternating between the two rows. */
const ROTATIONS = [
  [13, 15, 26, 6],
  [17, 29, 16, 24],
] as const;

/** The key schedule's parity constant (Threefish's C240, truncated to 32 bits for the 2x32 variant). */
const PARITY = 0x1bd11bda;

function rotateLeft(x: Tensor, distance: number): Tensor {
  const left = binary('shiftLeft', x, u32(x, distance));
  return binary('bitwiseOr', left, binary('shiftRightLogical', x, u32(x, 32 - distance)));
}

/**
 * Threefry-2x32 with 20 rounds: hashes the counter pairs `(x0, x1)` (int32 tensors holding uint32
 * bits, broadcast against each other) under `key` and returns the two output words. This is JAX's
 * `threefry2x32_p`: every key and random bit here comes from it.
 *
 * @example
 * ```ts
 * // The first known-answer vector of Random123: key (0, 0), counter (0, 0).
 * const [y0, y1] = random.threefry2x32(random.key(0), numpy.array([0], { dtype: 'int32' }), numpy.array([0], { dtype: 'int32' }));
 * [y0.item() >>> 0, y1.item() >>> 0]; // [0x6b200159, 0x99ba4efe]
 * ```
 */
export function threefry2x32(key: Tensor, x0: Tensor, x1: Tensor): [Tensor, Tensor] {
  checkKey('threefry2x32', key);
  for (const [name, x] of [
    ['x0', x0],
    ['x1', x1],
  ] as const) {
    if (x.dtype !== 'int32')
      throw new TensorError(
        'threefry2x32',
        `\`${name}\` must be int32 (uint32 bits), found ${avalText(x)}`,
      );
  }
  const k0 = reshape(slice(key, [0], [1]), []);
  const k1 = reshape(slice(key, [1], [2]), []);
  const schedule = [k0, k1, binary('bitwiseXor', binary('bitwiseXor', k0, k1), u32(k0, PARITY))];
  let a = binary('add', x0, k0);
  let b = binary('add', x1, k1);
  for (let group = 0; group < 5; group++) {
    for (const distance of ROTATIONS[group % 2]!) {
      a = binary('add', a, b);
      b = binary('bitwiseXor', a, rotateLeft(b, distance));
    }
    // Key injection after every four rounds: the next two schedule words, plus the group count.
    a = binary('add', a, schedule[(group + 1) % 3]!);
    b = binary('add', b, binary('add', schedule[(group + 2) % 3]!, u32(k0, group + 1)));
  }
  return [a, b];
}
