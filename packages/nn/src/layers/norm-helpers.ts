/** Small helpers shared by the normalisation layers: shape arguments, flags and the optional State. */
import { type Tensor, TensorError } from '@equinox-ts/autodiff';
import { State } from '../state/state.js';
import { checkRange, checkSize } from './checks.js';

/** A shape argument (an int or a list of ints, each positive), as a frozen list. */
export function shapeArgument(layer: string, argument: string, value: unknown): readonly number[] {
  if (typeof value === 'number') return Object.freeze([checkSize(layer, argument, value)]);
  if (!Array.isArray(value)) {
    throw new TensorError(
      layer,
      `\`${argument}\` must be a positive integer or a list of them, found ${String(value)}`,
    );
  }
  return Object.freeze(value.map((n, i) => checkSize(layer, `${argument}[${i}]`, n)));
}

/** A boolean option, or a clear error. */
export function booleanOption(
  layer: string,
  argument: string,
  value: unknown,
  fallback: boolean,
): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new TensorError(
      layer,
      `\`${argument}\` must be a boolean, found ${JSON.stringify(value) ?? typeof value}`,
    );
  }
  return value;
}

/** `eps`: a non-negative number (default 1e-5). */
export function epsOption(layer: string, value: unknown): number {
  return value === undefined ? 1e-5 : checkRange(layer, 'eps', value, 0, Infinity);
}

/**
 * The arguments of `call(x, state?, options?)`: the normalisation layers accept a {@link State} and
 * hand it back unchanged, so that they can stand in for `BatchNorm`, as in Equinox.
 */
export function splitStateArgument<O>(
  stateOrOptions: State | O | undefined,
  maybeOptions: O | undefined,
): [State | undefined, O | undefined] {
  return stateOrOptions instanceof State
    ? [stateOrOptions, maybeOptions]
    : [undefined, stateOrOptions];
}

/** `[size, 1, ..., 1]` of rank `rank`: reshapes a per-channel vector to broadcast over `[C, ...]`. */
export function channelShape(size: number, rank: number): number[] {
  return [size, ...new Array<number>(Math.max(rank - 1, 0)).fill(1)];
}

/** Returns `y`, or `[y, state]` when a state was passed. */
export function withState(y: Tensor, state: State | undefined): Tensor | [Tensor, State] {
  return state === undefined ? y : [y, state];
}
