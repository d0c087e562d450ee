// Float64 references for the adaptive optimiser tests: each optimiser's published update equations,
// written out again with plain numbers (never calling the code under test), and the optimisers run
// on the quadratic f(params) = sum over leaves of sum(a * w^2) / 2, whose gradient is a * w, through
// the shared harness (./paths.ts) bound to the fixed curvature and start below.
import type { GradientTransformation } from '../../src/index.js';
import { type Leaves, type Step, linearGrad, runPath } from './paths.js';

export { type Leaves, expectPathsClose } from './paths.js';

/** The quadratic's curvatures and starting point: two leaves, so masks have something to skip. */
export const CURVATURE: Leaves = { w: [1, 0.5, 3], b: [2, 0.25] };
export const START: Leaves = { w: [1, -2, 0.5], b: [-1, 1.5] };

/**
 * One element's optimiser in float64: given the gradient, the param and the step number `t` (from
 * 1), the change to add to the param. Each element keeps its own state in the closure.
 */
export type ElementStep = (g: number, w: number, t: number) => number;

/** Params after each of `steps` steps of the float64 reference, one fresh `make()` per element. */
export function referencePath(make: (leaf: string) => ElementStep, steps: number): Leaves[] {
  const elements = Object.fromEntries(
    Object.entries(START).map(([leaf, ws]) => [leaf, ws.map(() => make(leaf))]),
  );
  let params = START;
  const path: Leaves[] = [];
  for (let t = 1; t <= steps; t++) {
    params = Object.fromEntries(
      Object.entries(params).map(([leaf, ws]) => [
        leaf,
        ws.map((w, i) => w + elements[leaf]![i]!(CURVATURE[leaf]![i]! * w, w, t)),
      ]),
    );
    path.push(params);
  }
  return path;
}

const QUADRATIC = { start: START, grad: linearGrad(CURVATURE) };

/** Params after each of `steps` steps of `optimiser` on the quadratic (eager, or through `wrap`). */
export const optimiserPath = (
  optimiser: GradientTransformation,
  steps: number,
  wrap?: (step: Step<string>) => Step<string>,
): Leaves[] => runPath(optimiser, QUADRATIC, steps, wrap);

// ---- The published equations, per element, in float64. ----

/** Adam (Kingma and Ba, 2014, Algorithm 1, with eps_root inside the root) and NAdam as Optax writes it. */
export function adamRef(
  lr: number,
  { b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0, nesterov = false } = {},
): ElementStep {
  let m = 0;
  let v = 0;
  return (g, _w, t) => {
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    // NAdam: the momentum of the next step, b1 * m_t, plus this gradient's share, each bias-corrected.
    const mHat = nesterov
      ? (b1 * m) / (1 - b1 ** (t + 1)) + ((1 - b1) * g) / (1 - b1 ** t)
      : m / (1 - b1 ** t);
    const vHat = v / (1 - b2 ** t);
    return (-lr * mHat) / (Math.sqrt(vHat + epsRoot) + eps);
  };
}

/** AdamW (Loshchilov and Hutter, 2019): Adam's direction plus decay * w, both times the learning rate. */
export function adamwRef(lr: number, decay: number, decayed: boolean, adam = {}): ElementStep {
  const adamStep = adamRef(1, adam);
  return (g, w, t) => -lr * (-adamStep(g, w, t) + (decayed ? decay * w : 0));
}

/** AMSGrad (Reddi et al., 2018) with Adam's bias corrections: divide by the largest vHat so far. */
export function amsgradRef(lr: number, { b1 = 0.9, b2 = 0.999, eps = 1e-8 } = {}): ElementStep {
  let m = 0;
  let v = 0;
  let vMax = 0;
  return (g, _w, t) => {
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    vMax = Math.max(vMax, v / (1 - b2 ** t));
    return (-lr * (m / (1 - b1 ** t))) / (Math.sqrt(vMax) + eps);
  };
}

/** Adamax (Kingma and Ba, 2014, Algorithm 2): u_t = max(b2 u, |g| + eps) (eps as Optax places it). */
export function adamaxRef(lr: number, { b1 = 0.9, b2 = 0.999, eps = 1e-8 } = {}): ElementStep {
  let m = 0;
  let u = 0;
  return (g, _w, t) => {
    m = b1 * m + (1 - b1) * g;
    u = Math.max(b2 * u, Math.abs(g) + eps);
    return (-lr * m) / (1 - b1 ** t) / u;
  };
}

/** RAdam (Liu et al., 2020, Algorithm 2): rectified Adam once rho_t >= threshold, momentum before. */
export function radamRef(
  lr: number,
  { b1 = 0.9, b2 = 0.999, eps = 1e-8, threshold = 5 } = {},
  rhos: number[] = [],
): ElementStep {
  const rhoInf = 2 / (1 - b2) - 1;
  let m = 0;
  let v = 0;
  return (g, _w, t) => {
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    const mHat = m / (1 - b1 ** t);
    const rho = rhoInf - (2 * t * b2 ** t) / (1 - b2 ** t);
    rhos[t - 1] = rho;
    if (rho < threshold) return -lr * mHat;
    const r = Math.sqrt(((rho - 4) * (rho - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho));
    return (-lr * r * mHat) / (Math.sqrt(v / (1 - b2 ** t)) + eps);
  };
}

/**
 * RMSProp (Tieleman and Hinton, 2012) and centered RMSProp (Graves, 2013), with momentum applied
 * after the learning rate (Optax's order): mom = step + momentum * mom.
 */
export function rmspropRef(
  lr: number,
  {
    decay = 0.9,
    eps = 1e-8,
    initialScale = 0,
    centered = false,
    epsInSqrt = true,
    biasCorrection = false,
    momentum = undefined as number | undefined,
    nesterov = false,
  } = {},
): ElementStep {
  let mean = 0;
  let meanSquare = initialScale;
  let mom = 0;
  return (g, _w, t) => {
    mean = decay * mean + (1 - decay) * g;
    meanSquare = decay * meanSquare + (1 - decay) * g * g;
    const correction = biasCorrection ? 1 - decay ** t : 1;
    const mu = mean / correction;
    const variance = meanSquare / correction - (centered ? mu * mu : 0);
    const scaled = g / (epsInSqrt ? Math.sqrt(variance + eps) : Math.sqrt(variance) + eps);
    const step = -lr * scaled;
    if (momentum === undefined) return step;
    mom = step + momentum * mom;
    return nesterov ? step + momentum * mom : mom;
  };
}

/** Adagrad (Duchi et al., 2011): divide by the root of the sum of squares so far. */
export function adagradRef(lr: number, { initial = 0.1, eps = 1e-7 } = {}): ElementStep {
  let sum = initial;
  return (g) => {
    sum += g * g;
    return sum > 0 ? (-lr * g) / Math.sqrt(sum + eps) : 0;
  };
}

/** Adadelta (Zeiler, 2012, Algorithm 1), with L2 weight decay added to the gradient first. */
export function adadeltaRef(
  lr: number,
  { rho = 0.9, eps = 1e-6, weightDecay = 0 } = {},
): ElementStep {
  let eG = 0;
  let eX = 0;
  return (grad, w) => {
    const g = grad + weightDecay * w;
    eG = rho * eG + (1 - rho) * g * g;
    const dx = (Math.sqrt(eX + eps) / Math.sqrt(eG + eps)) * g;
    eX = rho * eX + (1 - rho) * dx * dx;
    return -lr * dx;
  };
}
