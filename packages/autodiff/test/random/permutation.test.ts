// permutation and choice: permutations are permutations, draws without replacement never repeat,
// weighted draws follow their weights; and the shuffle is JAX's sort by random keys.
import { numpy, random, type Tensor } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';

const values = (t: Tensor): number[] => Array.from(t.dataSync());
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);

  test('permutation(n) is a permutation of 0..n-1, the same for the same key', () => {
    const key = random.key(0);
    const p = random.permutation(key, 100);
    expect(p.dtype).toBe('int32');
    expect(sorted(values(p))).toEqual(range(100));
    expect(values(p)).not.toEqual(range(100));
    expect(values(random.permutation(key, 100))).toEqual(values(p));
    expect(values(random.permutation(random.key(1), 100))).not.toEqual(values(p));
    expect(random.permutation(key, 0).shape).toEqual([0]);
    expect(values(random.permutation(key, 1))).toEqual([0]);
    expect(values(random.permutation(key, numpy.array(5, { dtype: 'int32' })))).toEqual(
      values(random.permutation(key, 5)),
    );
  });

  test('the shuffle is a stable sort of the values by the bits of the second key of split(key)', () => {
    // JAX's _shuffle for fewer than ~1600 elements: one round, sort_key_val(bits(subkey), x).
    const key = random.key(21);
    const n = 50;
    const sortKeys = Array.from(
      random.bits(random.split(key).get(1), [n]).dataSync(),
      (w) => w >>> 0,
    );
    const expected = range(n).sort((a, b) => sortKeys[a]! - sortKeys[b]! || a - b);
    expect(values(random.permutation(key, n))).toEqual(expected);
    // Shuffling an array moves its values the same way.
    const x = numpy.arange(n).mul(10);
    expect(values(random.permutation(key, x))).toEqual(expected.map((i) => i * 10));
  });

  test('above 1625 elements the shuffle takes two rounds: ceil(3 ln n / ln(2^32 - 1)) = 2', () => {
    const n = 1700;
    let key = random.key(2);
    let expected = range(n);
    for (let round = 0; round < 2; round++) {
      const keys = random.split(key);
      const sortKeys = Array.from(random.bits(keys.get(1), [n]).dataSync(), (w) => w >>> 0);
      // Stable sort of the current arrangement by this round's keys (position i holds expected[i]).
      expected = range(n)
        .sort((a, b) => sortKeys[a]! - sortKeys[b]! || a - b)
        .map((i) => expected[i]!);
      key = keys.get(0);
    }
    expect(values(random.permutation(random.key(2), n))).toEqual(expected);
  });

  test('permutation of an array moves whole slices along the axis; independent shuffles each one', () => {
    const x = numpy.arange(12).reshape([4, 3]);
    const rows = random.permutation(random.key(3), x).tolist() as number[][];
    expect(sorted(rows.map((r) => r[0]!))).toEqual([0, 3, 6, 9]);
    for (const r of rows) expect(r).toEqual([r[0]!, r[0]! + 1, r[0]! + 2]);
    const columns = random.permutation(random.key(3), x, { axis: 1 }).tolist() as number[][];
    columns.forEach((r, i) => expect(sorted(r)).toEqual([3 * i, 3 * i + 1, 3 * i + 2]));
    expect(new Set(columns.map((r) => r.map((v) => v % 3).join())).size).toBe(1);
    // independent: each row (axis -1) is shuffled on its own, so rows stay within themselves.
    const wide = numpy.arange(40).reshape([4, 10]);
    const each = random
      .permutation(random.key(4), wide, { axis: -1, independent: true })
      .tolist() as number[][];
    each.forEach((r, i) => expect(sorted(r)).toEqual(range(10).map((j) => 10 * i + j)));
    expect(new Set(each.map((r) => r.map((v) => v % 10).join())).size).toBeGreaterThan(1);
  });

  test('choice without replacement never repeats, and is the start of the permutation', () => {
    const key = random.key(5);
    const draws = values(random.choice(key, 20, { shape: [4, 5], replace: false }));
    expect(sorted(draws)).toEqual(range(20));
    const some = values(random.choice(key, 50, { shape: [10], replace: false }));
    expect(new Set(some).size).toBe(10);
    expect(some).toEqual(values(random.permutation(key, 50)).slice(0, 10));
    // From an array, along an axis.
    const x = numpy.arange(30).reshape([3, 10]);
    const picked = random.choice(key, x, { shape: [4], replace: false, axis: 1 });
    expect(picked.shape).toEqual([3, 4]);
    const columnsPicked = (picked.tolist() as number[][])[0]!;
    expect(new Set(columnsPicked).size).toBe(4);
  });

  test('choice with replacement is uniform over the population', () => {
    const draws = values(
      random.choice(random.key(6), numpy.array([10, 20, 30, 40], { dtype: 'int32' }), {
        shape: [2000],
      }),
    );
    for (const v of [10, 20, 30, 40]) {
      // Binomial(2000, 1/4): sd 19.4.
      expect(Math.abs(draws.filter((d) => d === v).length - 500)).toBeLessThan(97);
    }
    expect(draws.every((d) => [10, 20, 30, 40].includes(d))).toBe(true);
  });

  test('choice with p follows the weights, with and without replacement', () => {
    const p = [0.1, 0, 0.3, 0.6];
    const draws = values(random.choice(random.key(7), 4, { shape: [2000], p: numpy.array(p) }));
    p.forEach((q, i) => {
      const frequency = draws.filter((d) => d === i).length / 2000;
      expect(Math.abs(frequency - q)).toBeLessThan(5 * Math.sqrt((q * (1 - q)) / 2000) + 1e-9);
    });
    // Without replacement: distinct, never the zero-probability entry while others remain, and the
    // heaviest entry first most often (Gumbel top-k: P(first = i) = p_i).
    let heaviestFirst = 0;
    for (let s = 0; s < 200; s++) {
      const pick = values(
        random.choice(random.key(100 + s), 4, { shape: [3], replace: false, p: numpy.array(p) }),
      );
      expect(new Set(pick).size).toBe(3);
      expect(pick).not.toContain(1);
      if (pick[0] === 3) heaviestFirst++;
    }
    // Binomial(200, 0.6): sd 6.9.
    expect(Math.abs(heaviestFirst - 120)).toBeLessThan(35);
  });
});
