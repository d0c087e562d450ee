/**
 * Checks reverse-mode derivatives against central finite differences, as `jax.test_util.check_grads`
 * does: for random directions `v` (inputs) and `u` (output), `<u, J v>` from finite differences must
 * match `<vjp(u), v>`. Values are read back and combined in float64, so float32 rounding in the
 * tensors only enters through the function values themselves.
 */
import type { Tensor } from '../../src/index.js';
import { numpy, vjp } from '../../src/index.js';

export interface CheckOptions {
  /** 1 checks the VJP; 2 also checks the VJP of the VJP (second derivatives). */
  order?: number;
  /** Finite-difference step, relative to each input's scale (default 1e-3). */
  eps?: number;
  /** Allowed relative error of the directional derivative (default 2e-2). */
  rtol?: number;
  /** Allowed absolute error (default 1e-3). */
  atol?: number;
  /** How many random direction pairs to try (default 2). */
  trials?: number;
  /** Seed of the directions. */
  seed?: number;
}

/** A deterministic generator of numbers in [-1, 1) (mulberry32). */
export function randomSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

/** A float32 tensor of `shape` with entries drawn from `rand`, scaled and shifted. */
export function randomTensor(
  shape: readonly number[],
  rand: () => number,
  scale = 1,
  shift = 0,
): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return numpy.array(
    Float32Array.from({ length: size }, () => rand() * scale + shift),
    { shape },
  );
}

function dot64(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function outputs(f: (...xs: Tensor[]) => Tensor | Tensor[], xs: Tensor[]): Tensor[] {
  const out = f(...xs);
  return Array.isArray(out) ? out : [out];
}

/**
 * Throws (through jest's expect) unless `f`'s VJP at `args` agrees with finite differences. `f` takes
 * float32 tensors and returns a float32 tensor (or a list of them).
 */
export function checkGrads(
  f: (...xs: Tensor[]) => Tensor | Tensor[],
  args: readonly Tensor[],
  options: CheckOptions = {},
): void {
  const { order = 1, eps = 1e-3, rtol = 2e-2, atol = 1e-3, trials = 2, seed = 0 } = options;
  const rand = randomSource(seed + 17);
  for (let trial = 0; trial < trials; trial++) {
    const v = args.map((x) => randomTensor(x.shape, rand));
    const outs = outputs(f, [...args]);
    const u = outs.map((y) => randomTensor(y.shape, rand));
    // Analytic: <vjp(u), v>.
    const [, vjpFn] = vjp((...xs: Tensor[]) => outputs(f, xs), ...args);
    const cts = vjpFn(u);
    const analytic = cts.reduce((s, g, i) => s + dot64(g.dataSync(), v[i]!.dataSync()), 0);
    // Numeric: <u, (f(x + h v) - f(x - h v)) / 2h>, h scaled to the inputs' magnitude.
    const scale = Math.max(
      1,
      ...args.map((x) => Math.max(...Array.from(x.dataSync() as Float32Array, Math.abs), 0)),
    );
    const h = eps * scale;
    const shifted = (sign: number) =>
      outputs(
        f,
        args.map((x, i) => x.add(v[i]!.mul(sign * h))),
      );
    const plus = shifted(1);
    const minus = shifted(-1);
    let numeric = 0;
    plus.forEach((p, i) => {
      const pd = p.dataSync();
      const md = minus[i]!.dataSync();
      const ud = u[i]!.dataSync();
      for (let j = 0; j < pd.length; j++) numeric += (ud[j]! * (pd[j]! - md[j]!)) / (2 * h);
    });
    const tolerance = atol + rtol * Math.max(Math.abs(analytic), Math.abs(numeric));
    if (!(Math.abs(analytic - numeric) <= tolerance)) {
      throw new Error(
        `gradient check failed (trial ${trial}): VJP gives ${analytic}, finite differences give ${numeric} ` +
          `(tolerance ${tolerance})`,
      );
    }
  }
  if (order > 1) {
    // The VJP is itself a function of the inputs (for a fixed output cotangent): check its derivative.
    const fixed = outputs(f, [...args]).map((y) => randomTensor(y.shape, randomSource(seed + 99)));
    const grads = (...xs: Tensor[]): Tensor[] => {
      const [, fn] = vjp((...ys: Tensor[]) => outputs(f, ys), ...xs);
      return fn(fixed);
    };
    checkGrads(grads, args, { ...options, order: order - 1, seed: seed + 1 });
  }
}
