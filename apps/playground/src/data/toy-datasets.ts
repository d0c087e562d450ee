/**
 * Small 2D datasets of two classes that no straight line separates, for the decision-boundary panel:
 * two interleaved spirals and two interlocking moons, both inside about [-1, 1]^2.
 */
import { normal, seededRandom } from './random.js';

/** The toy datasets there are. */
export type ToyName = 'spirals' | 'moons';

/** Points of two classes: point `i` is `(points[2i], points[2i + 1])`, of class `labels[i]` (0 or 1). */
export interface ToyData {
  readonly points: Float32Array;
  readonly labels: Int32Array;
}

/** How many times each spiral arm winds around the centre. */
export const SPIRAL_TURNS = 1.5;
/** The spirals' radii lie in [SPIRAL_MIN_RADIUS, 1]; starting away from 0 keeps the arms apart there. */
export const SPIRAL_MIN_RADIUS = 0.15;

// Each dataset's default noise: the standard deviation of the Gaussian jitter added to each coordinate.
const DEFAULT_NOISE: Record<ToyName, number> = { spirals: 0.04, moons: 0.08 };

/**
 * Classic moons (class 0 the upper half of the unit circle at (0, 0), class 1 the lower half of the one
 * at (1, 0.5)) span x in [-1, 2] and y in [-0.5, 1]; this moves their middle to the origin and scales
 * them by 2/3, so x spans [-1, 1] and y [-0.5, 0.5].
 */
const MOONS_SCALE = 2 / 3;
const MOONS_MIDDLE = [0.5, 0.25] as const;

/**
 * Draws `perClass` points of each class of the dataset `name`, class 0 first. The same seed gives the
 * same points.
 *
 * - spirals: two arms winding 1.5 times around the origin, radius in [0.15, 1]; a point at radius r has
 *   the angle 3 pi r (class 0) or 3 pi r + pi (class 1: class 0 turned by half a circle).
 * - moons: two interlocking half circles of radius 2/3 (see above), centred at (-1/3, -1/6) (class 0,
 *   the upper half) and (1/3, 1/6) (class 1, the lower half).
 *
 * @param noise standard deviation of the Gaussian jitter added to each coordinate (default 0.04 for
 *   spirals, 0.08 for moons).
 * @throws RangeError for an unknown name, a `perClass` that is not a positive integer, or a negative
 *   or non-finite noise.
 */
export function makeToyData(
  name: ToyName,
  perClass: number,
  seed: number,
  noise: number = DEFAULT_NOISE[name],
): ToyData {
  if (name !== 'spirals' && name !== 'moons') {
    throw new RangeError(
      `makeToyData: name must be "spirals" or "moons", found ${JSON.stringify(name)}`,
    );
  }
  if (!Number.isInteger(perClass) || perClass < 1) {
    throw new RangeError(`makeToyData: perClass must be a positive integer, found ${perClass}`);
  }
  if (!(noise >= 0 && Number.isFinite(noise))) {
    throw new RangeError(`makeToyData: noise must be a finite number >= 0, found ${noise}`);
  }
  const random = seededRandom(seed);
  const pointOf = name === 'spirals' ? spiralPoint : moonPoint;
  const points = new Float32Array(4 * perClass);
  const labels = new Int32Array(2 * perClass);
  for (let i = 0; i < 2 * perClass; i++) {
    const label = i < perClass ? 0 : 1;
    const [x, y] = pointOf(label, random());
    points[2 * i] = x + noise * normal(random);
    points[2 * i + 1] = y + noise * normal(random);
    labels[i] = label;
  }
  return { points, labels };
}

// The point of arm `label` at the position `u` in [0, 1) along it, before noise.
function spiralPoint(label: number, u: number): [number, number] {
  const radius = SPIRAL_MIN_RADIUS + (1 - SPIRAL_MIN_RADIUS) * u;
  const angle = 2 * Math.PI * SPIRAL_TURNS * radius + Math.PI * label;
  return [radius * Math.cos(angle), radius * Math.sin(angle)];
}

// The point of moon `label` at the position `u` in [0, 1) along it, before noise.
function moonPoint(label: number, u: number): [number, number] {
  const angle = Math.PI * u;
  const [x, y] =
    label === 0 ? [Math.cos(angle), Math.sin(angle)] : [1 - Math.cos(angle), 0.5 - Math.sin(angle)];
  return [(x - MOONS_MIDDLE[0]) * MOONS_SCALE, (y - MOONS_MIDDLE[1]) * MOONS_SCALE];
}
