/**
 * Checks and leaf-wise arithmetic shared by the adaptive building blocks (Adam and its relatives,
 * RMSProp, Adagrad, Adadelta).
 */
import { type Tensor, TensorError, numpy } from '@equinox-ts/autodiff';
import { biasCorrection, checkTensors, incrementCount, mapTensors } from '../tree-math.js';

/** Throws unless `value` is a finite number. */
export function checkNumber(op: string, argument: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TensorError(op, `\`${argument}\` must be a finite number, found ${String(value)}`);
  }
}

/** Throws unless `value` is a decay rate: in [0, 1), or [0, 1] when `one` is allowed. */
export function checkDecay(
  op: string,
  argument: string,
  value: unknown,
  one: 'open' | 'closed' = 'open',
): asserts value is number {
  const ok = typeof value === 'number' && value >= 0 && (one === 'open' ? value < 1 : value <= 1);
  if (!ok) {
    const range = one === 'open' ? '[0, 1)' : '[0, 1]';
    throw new TensorError(
      op,
      `\`${argument}\` must be a number in ${range}, found ${String(value)}`,
    );
  }
}

/** Throws unless `value` is a finite number >= 0 (epsilons, initial accumulators). */
export function checkNonNegative(
  op: string,
  argument: string,
  value: unknown,
): asserts value is number {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
    throw new TensorError(
      op,
      `\`${argument}\` must be a finite number >= 0, found ${String(value)}`,
    );
  }
}

/** A tree shaped like the tensors of `params`, every entry `value` (`null` stays `null`). */
export function fullLike<T>(op: string, params: T, value: number): T {
  checkTensors(op, 'params', params);
  return mapTensors((p) => numpy.fullLike(p, value), params);
}

/**
 * The bias-corrected first moment: `mu / (1 - b1^t)`, or with Nesterov momentum the look-ahead
 * `b1 * mu / (1 - b1^(t+1)) + (1 - b1) * g / (1 - b1^t)` (Dozat 2016, as Optax writes it).
 */
export function firstMomentHat<T>(
  mu: T,
  updates: T,
  b1: number,
  count: Tensor,
  nesterov: boolean,
): T {
  if (!nesterov) return biasCorrection(mu, b1, count);
  return mapTensors(
    (m, g) => m.mul(b1).add(g.mul(1 - b1)),
    biasCorrection(mu, b1, incrementCount(count)),
    biasCorrection(updates, b1, count),
  );
}

/** `m / (sqrt(v + epsRoot) + eps)`, leaf by leaf: Adam's step direction. */
export function adamDirection<T>(mHat: T, vHat: unknown, eps: number, epsRoot: number): T {
  return mapTensors((m, v) => m.div(v.add(epsRoot).sqrt().add(eps)), mHat, vHat);
}

/** `sqrt(meanSquare + eps)`, or `sqrt(meanSquare) + eps`: RMSProp's denominator. */
export function rootMeanSquare(meanSquare: Tensor, eps: number, epsInSqrt: boolean): Tensor {
  return epsInSqrt ? meanSquare.add(eps).sqrt() : meanSquare.sqrt().add(eps);
}
