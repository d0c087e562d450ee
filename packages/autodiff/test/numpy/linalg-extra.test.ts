// outer, inner, tensordot, einsum, tril, triu, diagonal, trace and diag against loop references.
import { numpy, type Tensor } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { checkGrads, randomSource, randomTensor } from '../helpers/check-grads.js';

/** einsum by brute force: loops over every assignment of the labels (explicit '->' form, letters only). */
function einsumReference(spec: string, ...operands: Tensor[]): { shape: number[]; data: number[] } {
  const [lhs, out] = spec.split('->') as [string, string];
  const terms = lhs.split(',');
  const sizes = new Map<string, number>();
  terms.forEach((term, i) => [...term].forEach((l, d) => sizes.set(l, operands[i]!.shape[d]!)));
  const labels = [...sizes.keys()];
  const data = operands.map((t) => Array.from(t.dataSync()));
  const outShape = [...out].map((l) => sizes.get(l)!);
  const result = new Array<number>(outShape.reduce((a, b) => a * b, 1)).fill(0);
  const offset = (term: string, shape: readonly number[], value: Map<string, number>) =>
    [...term].reduce((o, l, d) => o * shape[d]! + value.get(l)!, 0);
  const visit = (k: number, value: Map<string, number>): void => {
    if (k === labels.length) {
      const product = terms.reduce(
        (p, term, i) => p * data[i]![offset(term, operands[i]!.shape, value)]!,
        1,
      );
      const at = offset(out, outShape, value);
      result[at] = result[at]! + product;
      return;
    }
    for (let v = 0; v < sizes.get(labels[k]!)!; v++)
      visit(k + 1, new Map(value).set(labels[k]!, v));
  };
  visit(0, new Map());
  return { shape: outShape, data: result };
}

function expectClose(actual: Tensor, expected: { shape: number[]; data: number[] }): void {
  expect(actual.shape).toEqual(expected.shape);
  const got = Array.from(actual.dataSync());
  expected.data.forEach((e, i) => expect(got[i]).toBeCloseTo(e, 4));
}

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);
  const r = randomSource(11);

  describe('einsum', () => {
    const cases: [string, number[][]][] = [
      [
        'ij,jk->ik',
        [
          [2, 3],
          [3, 4],
        ],
      ],
      ['ij->ji', [[2, 3]]],
      ['ij->', [[2, 3]]],
      ['ij->j', [[2, 3]]],
      ['i,i->', [[4], [4]]],
      ['i,j->ij', [[2], [3]]],
      ['i,i->i', [[3], [3]]],
      ['ij,j->ij', [[2, 3], [3]]],
      [
        'bij,bjk->bik',
        [
          [2, 2, 3],
          [2, 3, 2],
        ],
      ],
      [
        'bij,bkj->bki',
        [
          [2, 2, 3],
          [2, 4, 3],
        ],
      ],
      [
        'ijk,kj->i',
        [
          [2, 3, 4],
          [4, 3],
        ],
      ],
      ['ii->i', [[3, 3]]],
      ['ii->', [[3, 3]]],
      ['iji->j', [[2, 3, 2]]],
      [
        'ij,jk,kl->il',
        [
          [2, 3],
          [3, 2],
          [2, 2],
        ],
      ],
      [
        'ab,bc,ca->',
        [
          [2, 3],
          [3, 2],
          [2, 2],
        ],
      ],
      [
        'ik,jk,ik->ij',
        [
          [2, 3],
          [2, 3],
          [2, 3],
        ],
      ],
      [
        'bhqd,bhkd->bhqk',
        [
          [1, 2, 3, 2],
          [1, 2, 4, 2],
        ],
      ],
    ];
    test.each(cases)('%s matches the loop reference', (spec, shapes) => {
      const operands = shapes.map((s) => randomTensor(s, r));
      expectClose(numpy.einsum(spec, ...operands), einsumReference(spec, ...operands));
    });

    test('the implicit form outputs the letters used once, in alphabetical order', () => {
      const a = randomTensor([2, 3], r);
      const b = randomTensor([3, 4], r);
      expectClose(numpy.einsum('ij,jk', a, b), einsumReference('ij,jk->ik', a, b));
      expectClose(numpy.einsum('ba', a), einsumReference('ba->ab', a));
      expectClose(numpy.einsum('ii', numpy.eye(3).mul(2)), { shape: [], data: [6] });
    });

    test('ellipsis broadcasts leading dimensions, with length-1 ones stretched', () => {
      const a = randomTensor([2, 1, 2, 3], r);
      const b = randomTensor([4, 3, 2], r);
      const out = numpy.einsum('...ij,...jk->...ik', a, b);
      expect(out.shape).toEqual([2, 4, 2, 2]);
      const manual = numpy.matmul(a, b);
      Array.from(out.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(manual.dataSync()[i]!, 4));
      expect(numpy.einsum('...i->...', numpy.ones([2, 3, 4])).shape).toEqual([2, 3]);
    });

    test('integer operands give float32, spaces are ignored', () => {
      const out = numpy.einsum('i , i -> ', numpy.arange(3), numpy.arange(3));
      expect(out.dtype).toBe('float32');
      expect(out.item()).toBe(5);
    });

    test('bad subscripts are errors that say what is wrong', () => {
      const x = numpy.zeros([2, 3]);
      expect(() => numpy.einsum('ij,jk->ik', x)).toThrow(
        "einsum: 'ij,jk->ik' names 2 operands, found 1",
      );
      expect(() => numpy.einsum('ijk', x)).toThrow(
        "einsum: operand 0 is float32[2, 3] but its term 'ijk' names 3 dimensions",
      );
      expect(() => numpy.einsum('ij,jk->ik', x, numpy.zeros([4, 2]))).toThrow(
        "einsum: label 'j' has lengths 3 and 4",
      );
      expect(() => numpy.einsum('ij->k', x)).toThrow(
        "einsum: output label 'k' does not appear in any input of 'ij->k'",
      );
      expect(() => numpy.einsum('ij->ii', x)).toThrow(
        "einsum: an output label is repeated in 'ij->ii'",
      );
      expect(() => numpy.einsum('i1', x)).toThrow("einsum: invalid character '1' in 'i1'");
    });

    test('gradients of contractions, traces and transposes', () => {
      checkGrads(
        (a, b) => numpy.einsum('bij,bjk->bki', a, b),
        [randomTensor([2, 2, 3], r), randomTensor([2, 3, 2], r)],
        { order: 2 },
      );
      checkGrads((a) => numpy.einsum('iji->j', a), [randomTensor([2, 3, 2], r)]);
      checkGrads(
        (a, b, c) => numpy.einsum('ij,jk,ik->i', a, b, c),
        [randomTensor([2, 3], r), randomTensor([3, 2], r), randomTensor([2, 2], r)],
      );
    });
  });

  describe('outer, inner, tensordot', () => {
    test('outer flattens its inputs', () => {
      expect(numpy.outer(numpy.array([[1], [2]]), numpy.array([3, 4])).tolist()).toEqual([
        [3, 4],
        [6, 8],
      ]);
    });

    test('inner contracts the last axes; a 0-d operand multiplies', () => {
      const a = randomTensor([2, 3], r);
      const b = randomTensor([4, 3], r);
      expectClose(numpy.inner(a, b), einsumReference('ij,kj->ik', a, b));
      expect(numpy.inner(2, numpy.array([1, 2])).tolist()).toEqual([2, 4]);
    });

    test('integer inputs give float32 in every product, as matmul does', () => {
      const i = numpy.array([1, 2], { dtype: 'int32' });
      const j = numpy.array([3, 4, 5], { dtype: 'int32' });
      const products: [string, Tensor, unknown][] = [
        [
          'outer',
          numpy.outer(i, j),
          [
            [3, 4, 5],
            [6, 8, 10],
          ],
        ],
        ['inner', numpy.inner(i, i), 5],
        ['inner of a 0-d operand', numpy.inner(numpy.array(2, { dtype: 'int32' }), i), [2, 4]],
        ['tensordot', numpy.tensordot(i, i, { axes: 1 }), 5],
        ['dot', numpy.dot(i, i), 5],
        ['matmul', numpy.matmul(i, i), 5],
      ];
      for (const [name, out, expected] of products) {
        expect([name, out.dtype, out.tolist()]).toEqual([name, 'float32', expected]);
      }
      expect(numpy.outer(numpy.array([true, false]), numpy.array([true])).dtype).toBe('float32');
    });

    test('tensordot with a count and with axis lists (negative axes too)', () => {
      const a = randomTensor([2, 3, 4], r);
      const b = randomTensor([3, 4, 2], r);
      expectClose(numpy.tensordot(a, b), einsumReference('ijk,jkl->il', a, b));
      expectClose(numpy.tensordot(a, b, { axes: 0 }).reshape([24, 24]), {
        shape: [24, 24],
        data: einsumReference('ijk,lmn->ijklmn', a, b).data,
      });
      const c = randomTensor([4, 5, 2], r);
      expectClose(
        numpy.tensordot(a, c, {
          axes: [
            [-1, 0],
            [0, 2],
          ],
        }),
        einsumReference('ijk,kmi->jm', a, c),
      );
    });

    test('tensordot errors name the mismatch', () => {
      expect(() => numpy.tensordot(numpy.zeros([2, 3]), numpy.zeros([4, 2]), { axes: 1 })).toThrow(
        'tensordot: contracted dimensions differ: axis 1 of float32[2, 3] has length 3, axis 0 of float32[4, 2] has length 4',
      );
      expect(() => numpy.tensordot(numpy.zeros([2]), numpy.zeros([2]), { axes: 2 })).toThrow(
        'tensordot: axes 2 must be a non-negative integer no larger than either rank, found ranks 1 and 1',
      );
      expect(() =>
        numpy.tensordot(numpy.zeros([2]), numpy.zeros([2]), { axes: [[0], []] }),
      ).toThrow('tensordot: axes lists must have equal lengths, found 1 and 0');
    });

    test('gradients', () => {
      checkGrads(
        (a, b) =>
          numpy.tensordot(a, b, {
            axes: [
              [0, 2],
              [1, 0],
            ],
          }),
        [randomTensor([2, 3, 4], r), randomTensor([4, 2, 2], r)],
      );
      checkGrads((a, b) => numpy.outer(a, b), [randomTensor([3], r), randomTensor([2], r)]);
    });
  });

  describe('triangles and diagonals', () => {
    test('tril and triu keep the int dtype and work on batches', () => {
      const x = numpy.arange(1, 10).reshape([3, 3]);
      expect(numpy.tril(x).tolist()).toEqual([
        [1, 0, 0],
        [4, 5, 0],
        [7, 8, 9],
      ]);
      expect(numpy.tril(x, { k: -1 }).tolist()).toEqual([
        [0, 0, 0],
        [4, 0, 0],
        [7, 8, 0],
      ]);
      expect(numpy.triu(x, { k: 1 }).tolist()).toEqual([
        [0, 2, 3],
        [0, 0, 6],
        [0, 0, 0],
      ]);
      expect(numpy.triu(x).dtype).toBe('int32');
      expect(
        numpy
          .tril(numpy.ones([2, 2, 3]))
          .sum({ axis: [1, 2] })
          .tolist(),
      ).toEqual([3, 3]);
      expect(() => numpy.tril(numpy.ones([3]))).toThrow(
        'tril: expected a tensor of rank 2 or more, found float32[3]',
      );
    });

    test('diagonal with offsets, chosen axes and empty results', () => {
      const x = numpy.arange(24).reshape([2, 3, 4]);
      expect(numpy.diagonal(x).tolist()).toEqual([
        [0, 16],
        [1, 17],
        [2, 18],
        [3, 19],
      ]);
      expect(numpy.diagonal(x, { axis1: 1, axis2: 2, offset: 1 }).tolist()).toEqual([
        [1, 6, 11],
        [13, 18, 23],
      ]);
      expect(numpy.diagonal(x, { axis1: -1, axis2: 1 }).tolist()).toEqual([
        [0, 5, 10],
        [12, 17, 22],
      ]);
      expect(numpy.diagonal(numpy.ones([2, 2]), { offset: 5 }).shape).toEqual([0]);
      expect(() => numpy.diagonal(x, { axis1: 1, axis2: -2 })).toThrow(
        'diagonal: axis1 and axis2 must differ, both are 1',
      );
    });

    test('trace sums a diagonal; diag builds and reads diagonals', () => {
      expect(numpy.trace(numpy.arange(12).reshape([3, 4]), { offset: 1 }).item()).toBe(1 + 6 + 11);
      expect(
        numpy
          .trace(
            numpy.array([
              [true, true],
              [false, true],
            ]),
          )
          .item(),
      ).toBe(2);
      expect(numpy.diag(numpy.array([1, 2]), { k: -1 }).tolist()).toEqual([
        [0, 0, 0],
        [1, 0, 0],
        [0, 2, 0],
      ]);
      expect(numpy.diag(numpy.arange(6).reshape([2, 3]), { k: 1 }).tolist()).toEqual([1, 5]);
      expect(() => numpy.diag(numpy.zeros([2, 2, 2]))).toThrow(
        'diag: expected a tensor of rank 1 or 2, found float32[2, 2, 2]',
      );
    });

    test('gradients', () => {
      checkGrads((x) => numpy.tril(x, { k: -1 }), [randomTensor([3, 4], r)]);
      checkGrads((x) => numpy.triu(x), [randomTensor([2, 3, 3], r)]);
      checkGrads((x) => numpy.diagonal(x, { offset: -1 }), [randomTensor([3, 3], r)]);
      checkGrads((x) => numpy.trace(x, { axis1: 0, axis2: 2 }), [randomTensor([3, 2, 3], r)]);
      checkGrads((v) => numpy.diag(v, { k: 1 }), [randomTensor([3], r)]);
    });
  });
});
