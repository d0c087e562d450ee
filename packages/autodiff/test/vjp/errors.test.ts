/**
 * The errors of grad, valueAndGrad and vjp: each names the function, the argument (by its path in
 * the argument tree) and what was expected versus found.
 */
import type { Tensor } from '../../src/index.js';
import { grad, numpy, valueAndGrad, vjp } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { tensorErrorMessage } from '../helpers/errors.js';

const messageOf = tensorErrorMessage;

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);

  describe('the output of grad', () => {
    test('must be a scalar: the message gives the shape found and points to vjp', () => {
      const message = messageOf(() => grad((x: Tensor) => x.mul(2))(numpy.ones([3])));
      expect(message).toBe(
        'grad: the function must return a float32 scalar (shape []), found float32[3]; ' +
          'reduce it (e.g. with .sum()) or use vjp for non-scalar outputs',
      );
    });

    test('must be float32', () => {
      expect(
        messageOf(() => grad((x: Tensor) => x.sum().astype('int32'))(numpy.ones([3]))),
      ).toMatch(/^grad: the function must return a float32 scalar \(shape \[\]\), found int32\[\]/);
    });

    test('must be a tensor or a number', () => {
      expect(messageOf(() => grad((_x: Tensor) => 'loss')(numpy.ones([3])))).toBe(
        'grad: the function must return a scalar tensor, found the string "loss"',
      );
    });
  });

  describe('leaves that cannot be differentiated are named by their path', () => {
    test('an int32 tensor', () => {
      const params = { w: numpy.array([1, 2], { dtype: 'int32' }) };
      expect(messageOf(() => grad((p: typeof params) => p.w.astype('float32').sum())(params))).toBe(
        'grad: cannot differentiate with respect to argument 0.w, an int32[2] tensor: only float32 has ' +
          "derivatives (cast it with astype('float32'), or use filterGrad to skip non-float leaves)",
      );
    });

    test('a string', () => {
      const params = { w: numpy.ones([2]), name: 'layer' };
      expect(messageOf(() => grad((p: typeof params) => p.w.sum())(params))).toBe(
        'grad: cannot differentiate with respect to argument 0.name, the string "layer"; only float tensors can ' +
          'be differentiated (filterGrad differentiates the float tensors of a tree and passes other leaves through)',
      );
    });

    test('a function, in a later argument chosen by argnums', () => {
      const layers = [numpy.ones([2]), { activation: Math.tanh }];
      const message = messageOf(() =>
        grad((_x: Tensor, _l: typeof layers) => 0, { argnums: [0, 1] })(numpy.ones([2]), layers),
      );
      expect(message).toMatch(
        /^grad: cannot differentiate with respect to argument 1\[1\]\.activation, a function;/,
      );
    });

    test('vjp names the primal the same way', () => {
      const message = messageOf(() =>
        vjp((p: { k: Tensor }) => p.k, { k: numpy.array([1], { dtype: 'int32' }) }),
      );
      expect(message).toMatch(
        /^vjp: cannot differentiate with respect to argument 0\.k, an int32\[1\] tensor/,
      );
    });
  });

  test('hasAux needs [output, aux]', () => {
    const message = messageOf(() =>
      grad((x: Tensor) => x.sum(), { hasAux: true })(numpy.ones([2])),
    );
    expect(message).toBe(
      'grad: with hasAux the function must return [output, aux], found a tensor of float32[]',
    );
    expect(
      messageOf(() => valueAndGrad((x: Tensor) => [x.sum()], { hasAux: true })(numpy.ones([2]))),
    ).toBe(
      'valueAndGrad: with hasAux the function must return [output, aux], found an array of length 1',
    );
  });

  test('argnums out of range, at the call', () => {
    const f = (x: Tensor, y: Tensor) => x.mul(y).sum();
    expect(messageOf(() => grad(f, { argnums: 2 })(numpy.ones([2]), numpy.ones([2])))).toBe(
      'grad: argnums 2 is out of range: expected an index below 2, the number of arguments given',
    );
  });

  describe('checked when the transformation is applied, before any call', () => {
    test('a function that is not one', () => {
      expect(messageOf(() => grad(3 as never))).toBe(
        'grad: argument f: expected a function, found the number 3',
      );
      expect(messageOf(() => valueAndGrad('f' as never))).toBe(
        'valueAndGrad: argument f: expected a function, found the string "f"',
      );
      expect(messageOf(() => vjp(null as never))).toBe(
        'vjp: argument f: expected a function, found null',
      );
    });

    test('argnums that are not non-negative integers', () => {
      const f = (x: Tensor, y: Tensor) => x.mul(y).sum();
      expect(messageOf(() => grad(f, { argnums: [0, 1.5] }))).toBe(
        'grad: option argnums: expected a non-negative integer or a list of them, found an array [0, 1.5]',
      );
      expect(messageOf(() => valueAndGrad(f, { argnums: -1 }))).toBe(
        'valueAndGrad: option argnums: expected a non-negative integer or a list of them, found the number -1',
      );
    });

    test('options of the wrong kind', () => {
      const f = (x: Tensor) => x.sum();
      expect(messageOf(() => grad(f, { hasAux: 'yes' as never }))).toBe(
        'grad: option hasAux: expected a boolean, found the string "yes"',
      );
      expect(messageOf(() => grad(f, 0 as never))).toBe(
        'grad: argument options: expected an object of options, found the number 0',
      );
    });
  });

  describe('a tracer used after its grad returned', () => {
    const leak = (): Tensor => {
      let leaked: Tensor | undefined;
      grad((x: Tensor) => {
        leaked = x.mul(2);
        return x.sum();
      })(numpy.ones([2]));
      return leaked!;
    };

    test('in an operation', () => {
      expect(messageOf(() => leak().add(1))).toMatch(
        /^add: a tensor traced by a grad that has already returned was used \(a tracer escaped/,
      );
    });

    test('when read', () => {
      expect(messageOf(() => leak().dataSync())).toBe(
        'dataSync: this tensor was traced by a grad that has already returned',
      );
    });

    test('inside a later grad', () => {
      const escaped = leak();
      expect(messageOf(() => grad((x: Tensor) => x.mul(escaped).sum())(numpy.ones([2])))).toMatch(
        /^mul: a tensor traced by a grad that has already returned was used/,
      );
    });
  });

  describe('vjp cotangents must match the output', () => {
    test('in shape', () => {
      const [, vjpFn] = vjp((x: Tensor) => x.mul(2), numpy.ones([3]));
      expect(messageOf(() => vjpFn(numpy.ones([2])))).toBe(
        'vjp: the cotangent at the top must be a float32[3] tensor like the output, found float32[2]',
      );
    });

    test('in dtype', () => {
      const [, vjpFn] = vjp((x: Tensor) => x.mul(2), numpy.ones([3]));
      expect(messageOf(() => vjpFn(numpy.ones([3], { dtype: 'int32' })))).toBe(
        'vjp: the cotangent at the top must be a float32[3] tensor like the output, found int32[3]',
      );
    });

    test('with the path of a wrong leaf', () => {
      const [, vjpFn] = vjp((x: Tensor) => ({ a: x, b: [x] }), numpy.ones([3]));
      expect(messageOf(() => vjpFn({ a: null, b: [numpy.ones([2])] }))).toBe(
        'vjp: the cotangent at .b[0] must be a float32[3] tensor like the output, found float32[2]',
      );
    });

    test('in tree structure', () => {
      const [, vjpFn] = vjp((x: Tensor) => ({ a: x, b: x }), numpy.ones([3]));
      expect(messageOf(() => vjpFn({ a: numpy.ones([3]) } as never))).toMatch(
        /^vjp: the cotangent's structure differs from the output's \(.*keys \{a, b\}, the tree has object with keys \{a\}\)$/,
      );
    });
  });
});
