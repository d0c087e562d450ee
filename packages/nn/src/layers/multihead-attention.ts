/** `MultiheadAttention`: multi-head scaled dot-product attention, as `eqx.nn.MultiheadAttention`. */
import { type Tensor, TensorError, random, vmap } from '@equinox-ts/autodiff';
import { field } from '../module/field.js';
import { Module } from '../module/module.js';
import { dotProductAttention } from './attention-dot-product.js';
import { aval, checkExample, checkRange, checkSize, initKey } from './checks.js';
import { Linear } from './linear.js';

/**
 * Options of {@link MultiheadAttention}'s constructor.
 *
 * @example
 * ```ts
 * const options: MultiheadAttentionOptions = { key: random.key(0), qkSize: 8, useOutputBias: true };
 * new MultiheadAttention(2, 4, options).queryProj.weight.shape; // [16, 4]
 * ```
 */
export interface MultiheadAttentionOptions {
  /** The random key the four projections are drawn from. */
  key: Tensor;
  /** Channels of the key input. Default `querySize`. */
  keySize?: number;
  /** Channels of the value input. Default `querySize`. */
  valueSize?: number;
  /** Channels of the output. Default `querySize`. */
  outputSize?: number;
  /** Channels per head over which queries and keys are compared. Default `floor(querySize / numHeads)`. */
  qkSize?: number;
  /** Channels per head of the weighted values fed to the output projection. Default `floor(querySize / numHeads)`. */
  voSize?: number;
  /** Whether the query projection has a bias. Default `false`. */
  useQueryBias?: boolean;
  /** Whether the key projection has a bias. Default `false`. */
  useKeyBias?: boolean;
  /** Whether the value projection has a bias. Default `false`. */
  useValueBias?: boolean;
  /** Whether the output projection has a bias. Default `false`. */
  useOutputBias?: boolean;
  /** The probability of dropping each attention weight. Default `0`. */
  dropoutP?: number;
  /** When true, no dropout (toggle with `inferenceMode`). Default `false`. */
  inference?: boolean;
}

/**
 * The three projected inputs `[query, key, value]`, each `[seq, numHeads, channels]`, as
 * `processHeads` receives and returns them.
 *
 * @example
 * ```ts
 * const unchanged = (q: Tensor, k: Tensor, v: Tensor): AttentionHeads => [q, k, v];
 * unchanged(numpy.ones([3, 2, 4]), numpy.ones([5, 2, 4]), numpy.ones([5, 2, 1]))[2].shape; // [5, 2, 1]
 * ```
 */
export type AttentionHeads = [query: Tensor, key: Tensor, value: Tensor];

/**
 * Options of {@link MultiheadAttention.call}.
 *
 * @example
 * ```ts
 * const options: MultiheadAttentionCallOptions = { mask: numpy.ones([2, 3], { dtype: 'bool' }), inference: true };
 * const attention = new MultiheadAttention(1, 2, { key: random.key(0) });
 * attention.call(numpy.ones([2, 2]), numpy.ones([3, 2]), numpy.ones([3, 2]), options).shape; // [2, 2]
 * ```
 */
export interface MultiheadAttentionCallOptions {
  /**
   * Boolean, `[qSeq, kvSeq]` or (one per head) `[numHeads, qSeq, kvSeq]`: where false, the query does
   * not attend to that position. A query whose row is false everywhere weighs all positions equally,
   * as in Equinox.
   */
  mask?: Tensor | null;
  /** The random key for dropout; needed when `dropoutP > 0` and not in inference mode. */
  key?: Tensor;
  /** Overrides the layer's `inference` field for this call. */
  inference?: boolean;
  /**
   * Transforms the projected heads (each `[seq, numHeads, channels]`) before attention, e.g. to apply
   * a {@link RotaryPositionalEmbedding}; it must keep their shapes.
   */
  processHeads?: (query: Tensor, key: Tensor, value: Tensor) => AttentionHeads;
}

/**
 * Multi-head attention (Equinox's `eqx.nn.MultiheadAttention`): the inputs are projected into
 * `numHeads` heads, each head computes `softmax(Q K^T / sqrt(qkSize)) V`, and the heads are
 * concatenated and projected to the output.
 *
 * - `numHeads`: the number of heads.
 * - `querySize`: channels of the query input.
 * - `keySize`, `valueSize`, `outputSize`, `qkSize`, `voSize`, `useQueryBias`, `useKeyBias`,
 *   `useValueBias`, `useOutputBias`, `dropoutP`, `inference`, `key`: see
 *   {@link MultiheadAttentionOptions}. The projections are {@link Linear} layers `queryProj`
 *   (`querySize` to `numHeads * qkSize`), `keyProj` (`keySize` to `numHeads * qkSize`), `valueProj`
 *   (`valueSize` to `numHeads * voSize`) and `outputProj` (`numHeads * voSize` to `outputSize`),
 *   initialised as `Linear` is, from four keys split off `key`.
 *
 * `call(query, key, value, options?)` takes `query` `[qSeq, querySize]`, `key` `[kvSeq, keySize]` and
 * `value` `[kvSeq, valueSize]` and returns `[qSeq, outputSize]`; see
 * {@link MultiheadAttentionCallOptions} for the mask, dropout and `processHeads`. Dropout applies to
 * the attention weights, with one key per head split off `options.key`. Batch with `vmap`.
 *
 * @example
 * ```ts
 * const attention = new MultiheadAttention(2, 4, { key: random.key(0) });
 * attention.queryProj.weight.shape; // [4, 4]
 * const x = numpy.ones([3, 4]);
 * attention.call(x, x, x).shape; // [3, 4]
 * const causal = numpy.tril(numpy.ones([3, 3])).astype('bool');
 * attention.call(x, x, x, { mask: causal }).shape; // [3, 4]
 * vmap((q: Tensor) => attention.call(q, q, q))(numpy.ones([5, 3, 4])).shape; // [5, 3, 4]
 * ```
 */
export class MultiheadAttention extends Module {
  queryProj: Linear;
  keyProj: Linear;
  valueProj: Linear;
  outputProj: Linear;
  inference: boolean;
  dropoutP: number = field({ static: true });
  numHeads: number = field({ static: true });
  querySize: number = field({ static: true });
  keySize: number = field({ static: true });
  valueSize: number = field({ static: true });
  outputSize: number = field({ static: true });
  qkSize: number = field({ static: true });
  voSize: number = field({ static: true });
  useQueryBias: boolean = field({ static: true });
  useKeyBias: boolean = field({ static: true });
  useValueBias: boolean = field({ static: true });
  useOutputBias: boolean = field({ static: true });

  constructor(numHeads: number, querySize: number, options: MultiheadAttentionOptions) {
    super();
    const name = 'MultiheadAttention';
    const key = initKey(name, options);
    checkSize(name, 'numHeads', numHeads);
    checkSize(name, 'querySize', querySize);
    const perHead = Math.floor(querySize / numHeads);
    const sizeOr = (argument: string, value: number | undefined, fallback: number): number => {
      if (value === undefined && fallback < 1) {
        throw new TensorError(
          name,
          `\`${argument}\` defaults to floor(querySize / numHeads) = floor(${querySize} / ${numHeads}) = 0; pass \`${argument}\` or use fewer heads`,
        );
      }
      return checkSize(name, argument, value ?? fallback);
    };
    this.numHeads = numHeads;
    this.querySize = querySize;
    this.keySize = sizeOr('keySize', options.keySize, querySize);
    this.valueSize = sizeOr('valueSize', options.valueSize, querySize);
    this.outputSize = sizeOr('outputSize', options.outputSize, querySize);
    this.qkSize = sizeOr('qkSize', options.qkSize, perHead);
    this.voSize = sizeOr('voSize', options.voSize, perHead);
    this.useQueryBias = options.useQueryBias ?? false;
    this.useKeyBias = options.useKeyBias ?? false;
    this.useValueBias = options.useValueBias ?? false;
    this.useOutputBias = options.useOutputBias ?? false;
    this.dropoutP = checkRange(name, 'dropoutP', options.dropoutP ?? 0, 0, 1, true);
    this.inference = options.inference ?? false;
    const [qKey, kKey, vKey, oKey] = random.split(key, 4);
    const qk = numHeads * this.qkSize;
    const vo = numHeads * this.voSize;
    this.queryProj = new Linear(querySize, qk, { key: qKey!, useBias: this.useQueryBias });
    this.keyProj = new Linear(this.keySize, qk, { key: kKey!, useBias: this.useKeyBias });
    this.valueProj = new Linear(this.valueSize, vo, { key: vKey!, useBias: this.useValueBias });
    this.outputProj = new Linear(vo, this.outputSize, { key: oKey!, useBias: this.useOutputBias });
  }

  /** Attends from `query` `[qSeq, querySize]` to `key` `[kvSeq, keySize]` and `value` `[kvSeq, valueSize]`; returns `[qSeq, outputSize]`. */
  call(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    options: MultiheadAttentionCallOptions = {},
  ): Tensor {
    const name = 'MultiheadAttention';
    checkExample(name, query, [null, this.querySize], 'query');
    checkExample(name, key, [null, this.keySize], 'key');
    checkExample(name, value, [null, this.valueSize], 'value');
    const [qSeq, kvSeq] = [query.shape[0]!, key.shape[0]!];
    if (value.shape[0] !== kvSeq) {
      throw new TensorError(
        name,
        `\`key\` and \`value\` must have the same sequence length, found ${aval(key)} and ${aval(value)}`,
      );
    }
    const mask = options.mask ?? null;
    if (mask !== null) this.checkMask(mask, qSeq, kvSeq);
    let heads: AttentionHeads = [
      this.project(this.queryProj, query),
      this.project(this.keyProj, key),
      this.project(this.valueProj, value),
    ];
    if (options.processHeads) heads = this.processed(heads, options.processHeads);
    // Heads first: [numHeads, seq, channels].
    const [q, k, v] = heads.map((h) => h.transpose([1, 0, 2])) as AttentionHeads;
    const attended = dotProductAttention(q, k, v, mask, {
      p: this.dropoutP,
      inference: options.inference ?? this.inference,
      keys: options.key === undefined ? null : random.split(options.key, this.numHeads),
      layer: name,
    });
    const concatenated = attended.transpose([1, 0, 2]).reshape([qSeq, this.numHeads * this.voSize]);
    return vmap(this.outputProj.call)(concatenated);
  }

  /** `x` `[seq, size]` through `projection`, split into heads: `[seq, numHeads, channels]`. */
  private project(projection: Linear, x: Tensor): Tensor {
    return vmap(projection.call)(x).reshape([x.shape[0]!, this.numHeads, -1]);
  }

  private processed(
    heads: AttentionHeads,
    processHeads: NonNullable<MultiheadAttentionCallOptions['processHeads']>,
  ): AttentionHeads {
    const result = processHeads(...heads);
    const ok =
      Array.isArray(result) &&
      result.length === 3 &&
      result.every(
        (h, i) =>
          typeof h === 'object' &&
          h !== null &&
          'shape' in h &&
          h.shape.length === heads[i]!.ndim &&
          h.shape.every((s, d) => s === heads[i]!.shape[d]),
      );
    if (!ok) {
      const want = heads.map(aval).join(', ');
      throw new TensorError(
        'MultiheadAttention',
        `\`processHeads\` must return [query, key, value] heads of unchanged shapes ${want}`,
      );
    }
    return result;
  }

  private checkMask(mask: Tensor, qSeq: number, kvSeq: number): void {
    const shapeOk =
      (mask.ndim === 2 && mask.shape[0] === qSeq && mask.shape[1] === kvSeq) ||
      (mask.ndim === 3 &&
        mask.shape[0] === this.numHeads &&
        mask.shape[1] === qSeq &&
        mask.shape[2] === kvSeq);
    if (!shapeOk || mask.dtype !== 'bool') {
      throw new TensorError(
        'MultiheadAttention',
        `expected \`mask\` of dtype bool and shape [${qSeq}, ${kvSeq}] or [${this.numHeads}, ${qSeq}, ${kvSeq}], found ${aval(mask)}`,
      );
    }
  }
}
