// BatchNorm: batch statistics over a named vmap axis, running statistics, inference, gradients, jit, errors.
import {
  type Tensor,
  TensorError,
  filterJit,
  filterValueAndGrad,
  numpy,
  random,
  vmap,
} from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import {
  BatchNorm,
  Sequential,
  State,
  StatefulLayer,
  inferenceMode,
  makeWithState,
} from '../src/index.js';
import { BACKENDS, useBackend } from './helpers/backends.js';
import { checkLayerGrads, expectClose } from './helpers/layers.js';

const flat = (t: Tensor): number[] => Array.from(t.dataSync());

/** Runs `bn` over the batch axis 0 of `xs`, the state shared and returned once. */
function train(bn: BatchNorm, xs: Tensor, state: State): [Tensor, State] {
  return vmap(bn.call, { axisName: 'batch', inAxes: [0, null], outAxes: [0, null] })(xs, state);
}

/** Per-channel mean and biased variance of xs [B, C, L] over B and L, in float64. */
function channelStats(xs: Tensor): [number[], number[]] {
  const [batch, channels, length] = xs.shape as [number, number, number];
  const v = flat(xs);
  const at = (b: number, c: number, l: number) => v[(b * channels + c) * length + l]!;
  const means: number[] = [];
  const vars: number[] = [];
  for (let c = 0; c < channels; c++) {
    let s = 0;
    for (let b = 0; b < batch; b++) for (let l = 0; l < length; l++) s += at(b, c, l);
    const m = s / (batch * length);
    let q = 0;
    for (let b = 0; b < batch; b++) for (let l = 0; l < length; l++) q += (at(b, c, l) - m) ** 2;
    means.push(m);
    vars.push(q / (batch * length));
  }
  return [means, vars];
}

/** (x - mean_c) / sqrt(var_c + eps) * w_c + b_c over xs [B, C, L], in float64. */
function normalise64(
  xs: Tensor,
  means: number[],
  vars: number[],
  w: number[],
  b: number[],
  eps: number,
): number[] {
  const [, channels, length] = xs.shape as [number, number, number];
  return flat(xs).map((v, i) => {
    const c = Math.floor(i / length) % channels;
    return ((v - means[c]!) / Math.sqrt(vars[c]! + eps)) * w[c]! + b[c]!;
  });
}

/** A BatchNorm with random affine parameters, and its state. */
function makeLayer(channels: number, options = {}): [BatchNorm, State] {
  const [bn, state] = makeWithState(BatchNorm)(channels, 'batch', options);
  const [kw, kb] = random.split(random.key(channels));
  const layer = tree.treeAt((l: BatchNorm) => [l.weight, l.bias], bn, [
    random.normal(kw!, [channels]),
    random.normal(kb!, [channels]),
  ]);
  return [layer, state];
}

describe.each(BACKENDS)('BatchNorm on $name', (entry) => {
  useBackend(entry);

  test('construction: Equinox defaults, parameters and the initial state', () => {
    const [bn, state] = makeWithState(BatchNorm)(3, 'batch');
    expect(bn).toBeInstanceOf(StatefulLayer);
    expect([bn.eps, bn.momentum, bn.inference, bn.channelwiseAffine]).toEqual([
      1e-5,
      0.99,
      false,
      true,
    ]);
    expect(flat(bn.weight!)).toEqual([1, 1, 1]);
    expect(flat(bn.bias!)).toEqual([0, 0, 0]);
    expect(bn.stateIndex.init).toBeNull();
    expect(bn.firstTimeIndex.init).toBeNull();
    expect(state.get(bn.firstTimeIndex).tolist()).toBe(true);
    expect(state.get(bn.stateIndex).map(flat)).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(tree.leaves(state)).toHaveLength(3);
    // Only weight and bias are tensors; the other leaf is the `inference` flag, as in Equinox.
    expect(tree.leaves(bn).filter((l) => typeof l !== 'boolean')).toHaveLength(2);
    expect(tree.leaves(bn).filter((l) => typeof l === 'boolean')).toEqual([false]);
    const [bare] = makeWithState(BatchNorm)(2, 'b', { channelwiseAffine: false, momentum: 0.5 });
    expect(bare.weight).toBeNull();
    expect(bare.bias).toBeNull();
    expect(bare.momentum).toBe(0.5);
  });

  test('training: batch statistics over batch and spatial axes, then the running updates by hand', () => {
    const momentum = 0.9;
    const [bn, state0] = makeLayer(2, { momentum });
    const w = flat(bn.weight!);
    const b = flat(bn.bias!);
    const x1 = random.normal(random.key(1), [3, 2, 4]).mul(2).add(1);
    const x2 = random.normal(random.key(2), [3, 2, 4]).sub(0.5);

    // Step 1: the running statistics become the batch's, and the output uses them.
    const [y1, state1] = train(bn, x1, state0);
    expect(y1.shape).toEqual([3, 2, 4]);
    const [m1, v1] = channelStats(x1);
    expectClose(y1, normalise64(x1, m1, v1, w, b, 1e-5), 1e-4);
    expect(state1.get(bn.firstTimeIndex).tolist()).toBe(false);
    const [r1m, r1v] = state1.get(bn.stateIndex);
    expectClose(r1m, m1);
    expectClose(r1v, v1);

    // Step 2: running = momentum * running + (1 - momentum) * batch, and the output uses it.
    const [y2, state2] = train(bn, x2, state1);
    const [m2, v2] = channelStats(x2);
    const runMean = m1.map((m, c) => momentum * m + (1 - momentum) * m2[c]!);
    const runVar = v1.map((v, c) => momentum * v + (1 - momentum) * v2[c]!);
    const [r2m, r2v] = state2.get(bn.stateIndex);
    expectClose(r2m, runMean);
    expectClose(r2v, runVar);
    expectClose(y2, normalise64(x2, runMean, runVar, w, b, 1e-5), 1e-4);
    // The old states are untouched.
    expect(state0.get(bn.firstTimeIndex).tolist()).toBe(true);
    expectClose(state1.get(bn.stateIndex)[0], m1);

    // Inputs without spatial axes: statistics over the batch only.
    const [flatBn, flatState] = makeWithState(BatchNorm)(2, 'batch', { eps: 0 });
    const [y, next] = train(
      flatBn,
      numpy.array([
        [1, 5],
        [3, 6],
        [5, 7],
      ]),
      flatState,
    );
    const r = Math.sqrt(1.5);
    expectClose(y, [
      [-r, -r],
      [0, 0],
      [r, r],
    ]);
    expectClose(next.get(flatBn.stateIndex)[0], [3, 6]);
    expectClose(next.get(flatBn.stateIndex)[1], [8 / 3, 2 / 3]);
  });

  test('inference: running statistics, the state unchanged, no vmap needed', () => {
    const [bn, state0] = makeLayer(2);
    const xs = random.normal(random.key(3), [4, 2, 3]);
    const [, state] = train(bn, xs, state0);
    const [means, vars] = state.get(bn.stateIndex).map(flat) as [number[], number[]];
    const probe = random.normal(random.key(4), [1, 2, 3]);
    const expected = normalise64(probe, means, vars, flat(bn.weight!), flat(bn.bias!), 1e-5);
    const [y, same] = bn.call(probe.get(0), state, { inference: true });
    expect(same).toBe(state);
    expectClose(y, expected, 1e-4);
    const evaluating = inferenceMode(bn);
    expect(evaluating.inference).toBe(true);
    expectClose(evaluating.call(probe.get(0), state)[0], expected, 1e-4);
    // Under vmap too, and the call option overrides the field.
    const [batched, kept] = train(evaluating, probe, state);
    expect(kept.get(bn.firstTimeIndex).tolist()).toBe(false);
    expectClose(kept.get(bn.stateIndex)[0], means);
    expectClose(kept.get(bn.stateIndex)[1], vars);
    expectClose(batched, expected, 1e-4);
    const [, updated] = vmap((x: Tensor, s: State) => evaluating.call(x, s, { inference: false }), {
      axisName: 'batch',
      inAxes: [0, null],
      outAxes: [0, null],
    })(xs.add(1), state);
    expectClose(
      updated.get(bn.stateIndex)[0],
      means.map((m) => m + 0.01),
    );
  });

  test('several named axes: statistics over nested vmaps equal those over the flattened batch', () => {
    const [bn, state] = makeWithState(BatchNorm)(2, ['outer', 'inner']);
    const xs = random.normal(random.key(6), [2, 3, 2, 2]);
    const inner = vmap(bn.call, { axisName: 'inner', inAxes: [0, null], outAxes: [0, null] });
    const [y, next] = vmap(inner, { axisName: 'outer', inAxes: [0, null], outAxes: [0, null] })(
      xs,
      state,
    );
    const [single, singleState] = makeWithState(BatchNorm)(2, 'batch');
    const [yFlat, nextFlat] = train(single, xs.reshape([6, 2, 2]), singleState);
    expectClose(y.reshape([6, 2, 2]), yFlat.tolist(), 1e-5);
    expectClose(next.get(bn.stateIndex)[1], flat(nextFlat.get(single.stateIndex)[1]));
  });

  test('gradients through vmap and pmean match finite differences', () => {
    const [bn, state0] = makeLayer(2, { momentum: 0.8 });
    const xs = random.normal(random.key(7), [3, 2, 2]);
    // First step (running = batch statistics) and a later one (running mixes in the old).
    checkLayerGrads(bn, [xs], (l, v) => train(l, v, state0)[0]);
    const [, state1] = train(bn, random.normal(random.key(8), [3, 2, 2]), state0);
    checkLayerGrads(bn, [xs], (l, v) => train(l, v, state1)[0]);
    // By hand: d/dbias of sum(y) is the number of entries per channel.
    const [, grads] = filterValueAndGrad((l: BatchNorm, v: Tensor) => train(l, v, state0)[0].sum())(
      bn,
      xs,
    );
    expectClose(grads.bias!, [6, 6]);
  });

  test('a filterJit training step with BatchNorm and State equals the eager one', () => {
    const [bn, state0] = makeLayer(2);
    const xs = random.normal(random.key(9), [4, 2, 3]);
    const target = random.normal(random.key(10), [4, 2, 3]);
    const loss = (model: BatchNorm, state: State, v: Tensor): [Tensor, State] => {
      const [y, next] = train(model, v, state);
      return [numpy.mean(numpy.square(y.sub(target))), next];
    };
    const step = (model: BatchNorm, state: State, v: Tensor) => {
      const [[value, next], grads] = filterValueAndGrad(loss, { hasAux: true })(model, state, v);
      const updated = tree.map(
        (p: Tensor, g: Tensor | null) => (g === null ? p : p.sub(g.mul(0.1))),
        model,
        grads,
      );
      return [updated, next, value] as const;
    };
    const [eagerModel, eagerState, eagerLoss] = step(bn, state0, xs);
    const compiled = filterJit(step);
    const [jitModel, jitState, jitLoss] = compiled(bn, state0, xs);
    expect(jitModel).toBeInstanceOf(BatchNorm);
    expect(jitState).toBeInstanceOf(State);
    expect(jitLoss.item()).toBeCloseTo(eagerLoss.item(), 5);
    expectClose(jitModel.weight!, flat(eagerModel.weight!));
    expectClose(jitModel.bias!, flat(eagerModel.bias!));
    tree.leaves(jitState).forEach((leaf, i) => {
      const eager = tree.leaves(eagerState)[i] as Tensor;
      if (eager.dtype === 'bool') expect((leaf as Tensor).tolist()).toEqual(eager.tolist());
      else expectClose(leaf as Tensor, flat(eager));
    });
    // The second call (firstTime now false) reuses the trace and still agrees.
    const [, eagerState2, eagerLoss2] = step(eagerModel, eagerState, xs);
    const [, jitState2, jitLoss2] = compiled(jitModel, jitState, xs);
    expect(jitLoss2.item()).toBeCloseTo(eagerLoss2.item(), 5);
    expectClose(jitState2.get(bn.stateIndex)[0], flat(eagerState2.get(bn.stateIndex)[0]));
  });

  test('inside a Sequential, the state is threaded through', () => {
    const [model, state] = makeWithState(Sequential)([
      new BatchNorm(2, 'batch'),
      new BatchNorm(2, 'batch'),
    ]);
    expect(tree.leaves(state)).toHaveLength(6);
    const [y, next] = vmap(model.call, {
      axisName: 'batch',
      inAxes: [0, null],
      outAxes: [0, null],
    })(
      numpy.array([
        [1, 2],
        [3, 6],
      ]),
      state,
    );
    expect(y.shape).toEqual([2, 2]);
    expect(
      tree
        .leaves(next)
        .filter((l) => (l as Tensor).dtype === 'bool')
        .map((l) => (l as Tensor).item()),
    ).toEqual([0, 0]);
  });

  test('bad arguments and inputs give clear errors', () => {
    const [bn, state] = makeWithState(BatchNorm)(2, 'batch');
    expect(() => bn.call(numpy.ones([2, 3]), state)).toThrow(TensorError);
    expect(() => bn.call(numpy.ones([2, 3]), state)).toThrow(
      /BatchNorm: training needs the batch: call the layer inside vmap\(f, \{ axisName: "batch" \}\)/,
    );
    expect(() =>
      vmap(bn.call, { axisName: 'other', inAxes: [0, null], outAxes: [0, null] })(
        numpy.ones([3, 2]),
        state,
      ),
    ).toThrow(/BatchNorm: training needs the batch.*running: "other"/);
    expect(() => train(bn, numpy.ones([3, 4]), state)).toThrow(
      /BatchNorm: expected `x` of shape \[2, \.\.\.spatial\] \(one example, channels first\), found float32\[4\]/,
    );
    expect(() => bn.call(numpy.array(1), state, { inference: true })).toThrow(/found float32\[\]/);
    expect(() => bn.call(numpy.ones([2]), undefined as never)).toThrow(
      /BatchNorm: call\(x, state\): `state` must be the State from makeWithState/,
    );
    expect(() => new BatchNorm(0, 'batch')).toThrow(
      /BatchNorm: `inputSize` must be a positive integer/,
    );
    expect(() => new BatchNorm(2, '')).toThrow(/BatchNorm: `axisName` must be a non-empty string/);
    expect(() => new BatchNorm(2, [] as never)).toThrow(/`axisName`/);
    expect(() => new BatchNorm(2, 'batch', { momentum: 1.5 })).toThrow(
      /BatchNorm: `momentum` must be a number in \[0, 1\], found 1.5/,
    );
    expect(() => new BatchNorm(2, 'batch', { eps: -1 })).toThrow(/BatchNorm: `eps`/);
    expect(() => new BatchNorm(2, 'batch', { inference: 1 as never })).toThrow(
      /`inference` must be a boolean/,
    );
    const [other] = makeWithState(BatchNorm)(2, 'batch');
    expect(() => train(other, numpy.ones([3, 2]), state)).toThrow(/no entry for the StateIndex/);
  });
});
