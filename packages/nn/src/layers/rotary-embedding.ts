/** `RotaryPositionalEmbedding`: rotary position embedding (RoPE), as `eqx.nn.RotaryPositionalEmbedding`. */
import { type Tensor, TensorError, numpy } from '@equinox-ts/autodiff';
import { field } from '../module/field.js';
import { Module } from '../module/module.js';
import { checkExample } from './checks.js';

/**
 * Options of {@link RotaryPositionalEmbedding}.
 *
 * @example
 * ```ts
 * const options: RotaryPositionalEmbeddingOptions = { theta: 500000 };
 * new RotaryPositionalEmbedding(4, options).theta; // 500000
 * ```
 */
export interface RotaryPositionalEmbeddingOptions {
  /** The base of the rotation frequencies: channel pair `i` turns by `theta^(-2i / embeddingSize)` per position. Default `10000`. */
  theta?: number;
}

const f32 = Math.fround;

/**
 * `[cos, sin]` of the angles `position * frequency`, each `[seqLen, embeddingSize]` (the
 * `embeddingSize / 2` frequencies repeated for the second half). Rounded to float32 at every step, as
 * JAX computes them in float32.
 */
function rotationTables(seqLen: number, embeddingSize: number, theta: number): [Tensor, Tensor] {
  const half = embeddingSize / 2;
  const frequencies = Array.from({ length: half }, (_, i) =>
    f32(1 / f32(f32(theta) ** f32((2 * i) / embeddingSize))),
  );
  const cos = new Float32Array(seqLen * embeddingSize);
  const sin = new Float32Array(seqLen * embeddingSize);
  for (let t = 0; t < seqLen; t++) {
    for (let i = 0; i < half; i++) {
      const angle = f32(t * frequencies[i]!);
      for (const at of [t * embeddingSize + i, t * embeddingSize + half + i]) {
        cos[at] = Math.cos(angle);
        sin[at] = Math.sin(angle);
      }
    }
  }
  const shape = [seqLen, embeddingSize];
  return [numpy.array(cos, { shape }), numpy.array(sin, { shape })];
}

/**
 * Rotary positional embedding (Equinox's `eqx.nn.RotaryPositionalEmbedding`, from RoFormer): the
 * vector at position `t` has channel `i` and channel `i + embeddingSize / 2` (for `i` below half)
 * rotated together as one 2-D pair by the angle `t * theta^(-2i / embeddingSize)`. Equinox pairs the
 * two halves (as GPT-NeoX and Llama in Hugging Face do), not neighbouring channels. Dot products of
 * rotated vectors then depend only on the offset between their positions.
 *
 * - `embeddingSize`: channels per position; a non-negative even integer.
 * - `theta`: see {@link RotaryPositionalEmbeddingOptions}.
 *
 * `call(x)` takes `x` `[seqLen, embeddingSize]` (positions `0..seqLen-1`) and returns the same shape.
 * It has no parameters. Inside {@link MultiheadAttention}, apply it to the query and key heads with
 * the `processHeads` option and `vmap` over the head axis.
 *
 * @example
 * ```ts
 * const rope = new RotaryPositionalEmbedding(2);
 * const x = numpy.array([[1, 0], [1, 0]]);
 * rope.call(x).get(0).tolist(); // [1, 0]
 * rope.call(x).get(1).tolist(); // [0.5403022766113281, 0.8414709568023682]
 * tree.leaves(rope).length; // 0
 * ```
 */
export class RotaryPositionalEmbedding extends Module {
  embeddingSize: number = field({ static: true });
  theta: number = field({ static: true });

  constructor(embeddingSize: number, options: RotaryPositionalEmbeddingOptions = {}) {
    super();
    const name = 'RotaryPositionalEmbedding';
    if (!Number.isInteger(embeddingSize) || embeddingSize < 0 || embeddingSize % 2 !== 0) {
      throw new TensorError(
        name,
        `\`embeddingSize\` must be a non-negative even integer, found ${String(embeddingSize)}`,
      );
    }
    const theta = options.theta ?? 10000;
    if (typeof theta !== 'number' || !(theta > 0) || !Number.isFinite(theta)) {
      throw new TensorError(name, `\`theta\` must be a positive number, found ${String(theta)}`);
    }
    this.embeddingSize = embeddingSize;
    this.theta = theta;
  }

  /** Rotates `x` `[seqLen, embeddingSize]` by position; returns the same shape. */
  call(x: Tensor, _options?: { key?: Tensor }): Tensor {
    checkExample('RotaryPositionalEmbedding', x, [null, this.embeddingSize]);
    const [seqLen, size] = x.shape as [number, number];
    if (size === 0 || seqLen === 0) return x;
    const [cos, sin] = rotationTables(seqLen, size, this.theta);
    const half = size / 2;
    // The partner of channel i rotated a quarter turn: [-x_second_half, x_first_half].
    const firstHalf = x.get(':', `:${half}`);
    const secondHalf = x.get(':', `${half}:`);
    const rotated = numpy.concatenate([secondHalf.neg(), firstHalf], { axis: -1 });
    return x.mul(cos).add(rotated.mul(sin));
  }
}
