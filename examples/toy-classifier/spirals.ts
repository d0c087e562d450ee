/** Two interleaved spirals: a small 2D dataset that no straight line separates. */
import { jnp, random, type Tensor } from 'equinox-ts';

/** Points of two classes, `points` `[n, 2]` (float32) and `labels` `[n]` (int32, 0 or 1). */
export interface Dataset {
  points: Tensor;
  labels: Tensor;
}

/** Options of {@link makeSpirals}. */
export interface SpiralOptions {
  /** Points drawn for each of the two classes. Default 256. */
  perClass?: number;
  /** Standard deviation of the Gaussian noise added to every point. Default 0.04. */
  noise?: number;
}

/** How many times each arm winds around the centre. */
export const TURNS = 1.5;

/**
 * Draws two spiral arms, one per class, inside the square `[-1, 1]^2`. Class 1 is class 0 turned by
 * half a circle, so the arms interleave. The same key gives the same points.
 *
 * @example
 * ```ts
 * const { points, labels } = makeSpirals(random.key(0), { perClass: 100 });
 * points.shape; // [200, 2]
 * ```
 */
export function makeSpirals(key: Tensor, options: SpiralOptions = {}): Dataset {
  const perClass = options.perClass ?? 256;
  const noise = options.noise ?? 0.04;
  const [radiusKey, noiseKey] = random.split(key);
  // The radius also sets the angle, so each arm winds outwards; starting away from 0 keeps the
  // two arms apart near the centre, where they would otherwise meet.
  const radius = random.uniform(radiusKey!, [2, perClass], { minval: 0.15, maxval: 1 });
  const angle = radius.mul(TURNS * 2 * Math.PI).add(jnp.array([[0], [Math.PI]]));
  const xy = jnp.stack([radius.mul(jnp.cos(angle)), radius.mul(jnp.sin(angle))], { axis: -1 });
  const jitter = random.normal(noiseKey!, [2, perClass, 2]).mul(noise);
  const labels = jnp.concatenate([
    jnp.zeros([perClass], { dtype: 'int32' }),
    jnp.ones([perClass], { dtype: 'int32' }),
  ]);
  return { points: xy.add(jitter).reshape([2 * perClass, 2]), labels };
}
