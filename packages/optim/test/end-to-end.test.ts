// End to end: an MLP from @equinox-ts/nn learns two interleaved moons with adam, trained by a
// filterJit step around filterValueAndGrad and softmaxCrossEntropyWithIntegerLabels, the way an
// Equinox + Optax user writes it. The data come from a fixed random key, so the run is deterministic.
import {
  type Tensor,
  applyUpdates,
  debug,
  filterJit,
  filterValueAndGrad,
  isArray,
  nn as jnn,
  numpy,
  random,
  vmap,
} from '@equinox-ts/autodiff';
import { MLP } from '@equinox-ts/nn';
import * as tree from '@equinox-ts/pytree';
import { adam, softmaxCrossEntropyWithIntegerLabels } from '../src/index.js';

/**
 * `n` points of each class: class 0 on the upper half circle (cos t, sin t), class 1 on the lower
 * half circle (1 - cos t, 0.5 - sin t), t uniform in [0, π], plus Gaussian noise of scale `noise`.
 * Returns points [2n, 2] and int32 labels [2n].
 */
function moons(key: Tensor, n: number, noise: number): [Tensor, Tensor] {
  const [kt, kn] = random.split(key);
  const t = random.uniform(kt!, [2, n], { minval: 0, maxval: Math.PI });
  const [cos, sin] = [numpy.cos(t), numpy.sin(t)];
  const upper = numpy.stack([cos.get(0), sin.get(0)], { axis: 1 });
  const lower = numpy.stack([cos.get(1).neg().add(1), sin.get(1).neg().add(0.5)], { axis: 1 });
  const points = numpy.concatenate([upper, lower]).add(random.normal(kn!, [2 * n, 2]).mul(noise));
  const labels = numpy.concatenate([
    numpy.zeros([n], { dtype: 'int32' }),
    numpy.ones([n], { dtype: 'int32' }),
  ]);
  return [points, labels];
}

const meanLoss = (model: MLP, x: Tensor, y: Tensor): Tensor =>
  softmaxCrossEntropyWithIntegerLabels(vmap((v: Tensor) => model.call(v))(x), y).mean();

const accuracy = (model: MLP, x: Tensor, y: Tensor): number =>
  vmap((v: Tensor) => model.call(v))(x)
    .argmax({ axis: -1 })
    .eq(y)
    .astype('float32')
    .mean()
    .item();

test('an MLP fits two moons with adam: training loss < 0.05 within 300 steps, accuracy > 95%', () => {
  const [dataKey, testKey, modelKey] = random.split(random.key(0), 3);
  const [x, y] = moons(dataKey!, 100, 0.1);
  const [xTest, yTest] = moons(testKey!, 100, 0.1);

  let model = new MLP(2, 2, 16, 2, { key: modelKey!, activation: jnn.tanh });
  const optimiser = adam(0.03);
  let state = optimiser.init(tree.filter(model, isArray));

  // One trace for the whole run: the optimiser state is tensors only, so nothing retraces per step.
  const train = debug.assertMaxTraces((m: MLP, s: typeof state, xs: Tensor, ys: Tensor) => {
    const [loss, grads] = filterValueAndGrad(meanLoss)(m, xs, ys);
    const [updates, next] = optimiser.update(grads, s, m);
    return [applyUpdates(m, updates), next, loss] as const;
  }, 1);
  const step = filterJit(train);

  const initial = meanLoss(model, x, y).item();
  // Two balanced classes start near log 2 = 0.693 (the initial logits are small).
  expect(initial).toBeGreaterThan(0.3);
  const maxSteps = 300;
  const target = 0.05;
  let steps = 0;
  let loss = initial;
  while (steps < maxSteps && loss >= target) {
    let lossTensor: Tensor;
    [model, state, lossTensor] = step(model, state, x, y);
    loss = lossTensor.item();
    steps++;
  }
  // On the cpu backend this run reaches the target after 63 steps, with training accuracy 0.995 and
  // test accuracy 0.985: the bounds below leave room for other backends' rounding.
  expect(loss).toBeLessThan(target);
  expect(steps).toBeLessThanOrEqual(maxSteps);
  expect(debug.getNumTraces(train)).toBe(1);
  // The step reports the loss of the parameters it started from: check the final ones too.
  expect(meanLoss(model, x, y).item()).toBeLessThan(target);
  expect(accuracy(model, x, y)).toBeGreaterThan(0.97);
  expect(accuracy(model, xTest, yTest)).toBeGreaterThan(0.95);
});
