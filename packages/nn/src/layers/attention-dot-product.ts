/**
 * Scaled dot-product attention over heads, the core of `MultiheadAttention` (Equinox's
 * `dot_product_attention` and `dot_product_attention_weights`, applied to all heads at once).
 */
import { type Tensor, TensorError, nn as jnn, numpy, random } from '@equinox-ts/autodiff';

/** The most negative finite float32 (`jnp.finfo(jnp.float32).min`): what masked-out logits become. */
export const FLOAT32_LOWEST = -3.4028234663852886e38;

/**
 * Attention weights `softmax(q k^T / sqrt(d))` per head, for `query` `[heads, qSeq, d]` and `key`
 * `[heads, kvSeq, d]`; `[heads, qSeq, kvSeq]`, each row summing to one. Where the boolean `mask`
 * (broadcast against the logits) is false the logit becomes {@link FLOAT32_LOWEST}, not `-Infinity`,
 * as in Equinox: a row masked out entirely then weighs every position equally instead of giving NaN.
 */
export function dotProductAttentionWeights(
  query: Tensor,
  key: Tensor,
  mask: Tensor | null = null,
): Tensor {
  const depth = query.shape[query.ndim - 1]!;
  const scaled = query.div(Math.sqrt(depth));
  let logits = numpy.matmul(scaled, numpy.swapaxes(key, -1, -2));
  if (mask !== null) logits = numpy.where(mask, logits, FLOAT32_LOWEST);
  return jnn.softmax(logits, { axis: -1 });
}

/** How attention weights are dropped out: Equinox's `Dropout(p, inference)` called with `key`. */
export interface AttentionDropout {
  /** The probability of dropping each weight. */
  p: number;
  /** When true nothing is dropped. */
  inference: boolean;
  /** One key per head (`[heads, 2]`), needed when `p > 0` and not `inference`. */
  keys: Tensor | null;
  /** The layer named in errors. */
  layer: string;
}

/**
 * Drops each weight of `weights` `[heads, qSeq, kvSeq]` with probability `p` and scales the rest by
 * `1 / (1 - p)`. Head `h` draws its mask from `keys[h]`, so the masks are those Equinox draws when it
 * maps its `Dropout` over heads with `jax.random.split(key, heads)`.
 */
export function dropAttentionWeights(weights: Tensor, dropout: AttentionDropout): Tensor {
  const { p, inference, keys, layer } = dropout;
  if (inference || p === 0) return weights;
  if (keys === null) {
    throw new TensorError(
      layer,
      'dropout needs a random `key` when not in inference mode (dropoutP > 0); pass `{ key }` or set `inference: true`',
    );
  }
  const keep = 1 - p;
  const [, qSeq, kvSeq] = weights.shape as [number, number, number];
  const masks = Array.from({ length: weights.shape[0]! }, (_, h) =>
    random.bernoulli(keys.get(h), keep, [qSeq, kvSeq]),
  );
  return numpy.where(numpy.stack(masks), weights.div(keep), 0);
}

/**
 * Attention per head: `query` `[heads, qSeq, qk]`, `key` `[heads, kvSeq, qk]`, `value`
 * `[heads, kvSeq, vo]` to `[heads, qSeq, vo]`, the weights masked by `mask` and dropped out by
 * `dropout` before they weigh the values.
 */
export function dotProductAttention(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  mask: Tensor | null,
  dropout: AttentionDropout,
): Tensor {
  const weights = dropAttentionWeights(dotProductAttentionWeights(query, key, mask), dropout);
  return numpy.matmul(weights, value);
}
