// lax.psum and lax.pmean over a named vmap axis: values, nesting, composition with grad and jit, errors.
import { type Tensor, grad, jit, lax, numpy, vmap } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { checkGrads } from '../helpers/check-grads.js';
import { tensorErrorMessage } from '../helpers/errors.js';

describe.each(BACKENDS)('collectives on $name', (entry) => {
  useBackend(entry);
  const xs = numpy.array([
    [1, 2],
    [3, 4],
    [5, 9],
  ]);

  test('psum and pmean give every example the batch total and mean', () => {
    const f = (x: Tensor) => ({ total: lax.psum(x, 'b'), mean: lax.pmean(x, 'b') });
    const out = vmap(f, { axisName: 'b' })(xs);
    expect(out.total.tolist()).toEqual([
      [9, 15],
      [9, 15],
      [9, 15],
    ]);
    expect(out.mean.tolist()).toEqual([
      [3, 5],
      [3, 5],
      [3, 5],
    ]);
    // The result does not vary over the batch, so it can be returned unmapped.
    const unmapped = vmap((x: Tensor) => lax.pmean(x, 'b'), { axisName: 'b', outAxes: null })(xs);
    expect(unmapped.tolist()).toEqual([3, 5]);
  });

  test('a value that does not vary over the batch is the same for every example', () => {
    const c = numpy.array([2, 3]);
    const f = (x: Tensor) => x.add(lax.psum(c, 'b'));
    expect(vmap(f, { axisName: 'b' })(numpy.zeros([4])).tolist()).toEqual([
      [8, 12],
      [8, 12],
      [8, 12],
      [8, 12],
    ]);
    expect(
      vmap(() => lax.pmean(c, 'b'), { axisName: 'b', axisSize: 3, outAxes: null })().tolist(),
    ).toEqual([2, 3]);
  });

  test('nested vmaps reduce over the axis they name', () => {
    // Outer over rows (axis 0, named "rows"), inner over columns (named "cols").
    const f = (x: Tensor) => ({ rows: lax.psum(x, 'rows'), cols: lax.psum(x, 'cols') });
    const inner = vmap(f, { axisName: 'cols' });
    const out = vmap(inner, { axisName: 'rows' })(xs);
    expect(out.rows.tolist()).toEqual([
      [9, 15],
      [9, 15],
      [9, 15],
    ]);
    expect(out.cols.tolist()).toEqual([
      [3, 3],
      [7, 7],
      [14, 14],
    ]);
  });

  test('gradients through pmean match finite differences, and jit gives the same values', () => {
    const standardise = (x: Tensor) => {
      const mean = lax.pmean(x, 'b');
      const variance = lax.pmean(x.sub(mean).square(), 'b');
      return x.sub(mean).div(variance.add(1e-3).sqrt());
    };
    const loss = (x: Tensor) =>
      vmap(standardise, { axisName: 'b' })(x)
        .mul(
          numpy.array([
            [1, -2],
            [0.5, 3],
            [2, 1],
          ]),
        )
        .sum();
    checkGrads(loss, [
      numpy.array([
        [0.3, -1],
        [1.2, 0.4],
        [-0.7, 2],
      ]),
    ]);
    const eager = vmap(standardise, { axisName: 'b' })(xs).tolist() as number[][];
    const compiled = jit(vmap(standardise, { axisName: 'b' }))(xs).tolist() as number[][];
    expect(compiled).toEqual(eager);
    // Hand-derived: column 0 is [1, 3, 5], mean 3, variance 8/3.
    expect(eager[0]![0]).toBeCloseTo(-2 / Math.sqrt(8 / 3 + 1e-3), 5);
    const g = grad(loss)(xs);
    expect(g.shape).toEqual([3, 2]);
  });

  test('errors name the operation and the missing axis', () => {
    expect(tensorErrorMessage(() => lax.psum(numpy.ones([2]), 'b'))).toMatch(
      /psum: no vmap with axisName "b" is running/,
    );
    expect(
      tensorErrorMessage(() =>
        vmap((x: Tensor) => lax.pmean(x, 'other'), { axisName: 'b' })(numpy.ones([2])),
      ),
    ).toMatch(/pmean: no vmap with axisName "other" is running \(running: "b"\)/);
    expect(
      tensorErrorMessage(() =>
        vmap(
          grad((x: Tensor) => lax.psum(x, 'b')),
          { axisName: 'b' },
        )(numpy.ones([2])),
      ),
    ).toMatch(/psum: x \(float32\[\]\) is traced by grad, which started inside the vmap named "b"/);
    expect(tensorErrorMessage(() => vmap((x: Tensor) => x, { axisName: '' })(xs))).toMatch(
      /vmap: option axisName: expected a non-empty string, found the string ""/,
    );
  });
});
