// PReLU: values by hand, a learned slope per channel, gradients, vmap/jit, errors.
import { TensorError, filterGrad, jit, numpy, random, vmap } from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import { PReLU } from '../src/index.js';
import { BACKENDS, useBackend } from './helpers/backends.js';
import { checkLayerGrads, expectClose } from './helpers/layers.js';

describe.each(BACKENDS)('PReLU on $name', (entry) => {
  useBackend(entry);

  test('values: x where x >= 0, alpha * x elsewhere', () => {
    const prelu = new PReLU();
    expect(prelu.negativeSlope.tolist()).toBe(0.25);
    expect(tree.leaves(prelu)).toHaveLength(1);
    expectClose(prelu.call(numpy.array([-4, -1, 0, 2])), [-1, -0.25, 0, 2]);
    expect(prelu.call(numpy.ones([2, 3])).shape).toEqual([2, 3]);
    expectClose(new PReLU({ initAlpha: -1 }).call(numpy.array([-3, 3])), [3, 3]);
    // A slope per channel, shaped to broadcast over [channels, length].
    const perChannel = new PReLU({ initAlpha: numpy.array([[0.1], [0.5]]) });
    expectClose(
      perChannel.call(
        numpy.array([
          [-2, 2],
          [-2, 2],
        ]),
      ),
      [
        [-0.2, 2],
        [-1, 2],
      ],
    );
  });

  test('gradients by hand and against finite differences; vmap and jit', () => {
    const prelu = new PReLU({ initAlpha: numpy.array([0.2, 0.3, 0.4]) });
    const x = numpy.array([-1.5, 0.7, -0.4]);
    checkLayerGrads(prelu, [x], (l, v) => l.call(v));
    // d/dalpha sum(prelu(x)) = x where x < 0.
    const grads = filterGrad((l: PReLU) => l.call(x).sum())(prelu);
    expectClose(grads.negativeSlope, [-1.5, 0, -0.4]);
    const xs = random.normal(random.key(0), [4, 3]);
    const batched = vmap(prelu.call)(xs);
    for (let i = 0; i < 4; i++) {
      expectClose(batched.get(i), Array.from(prelu.call(xs.get(i)).dataSync()));
    }
    expectClose(jit(vmap(prelu.call))(xs), batched.tolist());
  });

  test('bad arguments and inputs give clear errors', () => {
    const prelu = new PReLU({ initAlpha: numpy.array([0.1, 0.2]) });
    expect(() => prelu.call(numpy.ones([3]))).toThrow(TensorError);
    expect(() => prelu.call(numpy.ones([3]))).toThrow(
      /PReLU: `x` of shape \[3\] does not broadcast with `negativeSlope` of shape \[2\]/,
    );
    expect(() => new PReLU({ initAlpha: Infinity })).toThrow(
      /PReLU: `initAlpha` must be a finite number/,
    );
    expect(() => new PReLU({ initAlpha: numpy.array([1], { dtype: 'int32' }) })).toThrow(
      /`initAlpha` must be a number or a float32 tensor, found int32\[1\]/,
    );
    expect(() => new PReLU({ initAlpha: '0.1' as never })).toThrow(/found string/);
  });
});
