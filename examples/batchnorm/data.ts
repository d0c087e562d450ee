/** A synthetic regression whose two inputs come on very different scales, which BatchNorm copes with. */
import { jnp, random, type Tensor } from 'equinox-ts';

/** Each input is `offset + scale * u`: the units the model sees the hidden variables in. */
export const INPUT_OFFSET = [300, 0] as const;
export const INPUT_SCALE = [40, 0.05] as const;

/** Inputs `[n, 2]` and targets `[n]`. */
export interface Regression {
  inputs: Tensor;
  targets: Tensor;
}

/**
 * The target is a smooth function of two hidden variables `u` uniform in `[-1, 1]^2`,
 * `sin(3 u0) * cos(2 u1)`, but the model sees them measured in awkward units: `300 + 40 u0`
 * (hundreds, like a temperature in kelvin) and `0.05 u1` (hundredths). Without normalisation the
 * first input would swamp the second.
 *
 * @example
 * ```ts
 * const { inputs, targets } = makeRegression(random.key(0), 100);
 * [inputs.shape, targets.shape]; // [[100, 2], [100]]
 * ```
 */
export function makeRegression(key: Tensor, count: number): Regression {
  const u = random.uniform(key, [count, 2], { minval: -1, maxval: 1 });
  const targets = jnp.sin(u.get(':', 0).mul(3)).mul(jnp.cos(u.get(':', 1).mul(2)));
  const inputs = u.mul(jnp.array(INPUT_SCALE)).add(jnp.array(INPUT_OFFSET));
  return { inputs, targets };
}
