// The same seeds give JAX's numbers: keys, splits and draws checked against values JAX published.
import { numpy, random, type Tensor } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';

const words = (t: Tensor): number[] => Array.from(t.dataSync(), (w) => w >>> 0);
const f32 = (values: number[]): number[] => values.map((v) => Math.fround(v));
/** Close to values JAX printed with 6 or 7 significant digits. */
function expectPrinted(actual: Tensor, printed: number[], digits = 5): void {
  const values = actual.tolist() as number[];
  expect(values).toHaveLength(printed.length);
  values.forEach((v, i) => expect(v).toBeCloseTo(printed[i]!, digits));
}

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);

  describe('keys from seeds', () => {
    // jax.random.key_data(jax.random.key(seed)) with JAX's default 32-bit mode, from the table of
    // test_prng_seeds_and_keys in JAX's tests/random_test.py (int seeds out of the int32 range wrap).
    test.each([
      [0, [0, 0]],
      [1, [0, 1]],
      [-1, [0, 4294967295]],
      [-2, [0, 4294967294]],
      [2 ** 31 - 1 + 100, [0, 2147483747]],
      [-(2 ** 31) - 100, [0, 2147483548]],
    ])('key(%d) holds %j', (seed, expected) => {
      const k = random.key(seed);
      expect(k.dtype).toBe('int32');
      expect(words(k)).toEqual(expected);
    });

    test('a 0-d int32 tensor seed makes the same key as the number', () => {
      expect(words(random.key(numpy.array(-5, { dtype: 'int32' })))).toEqual(words(random.key(-5)));
      expect(words(random.PRNGKey(9))).toEqual([0, 9]);
    });
  });

  describe('the partitionable scheme (JAX >= 0.5, the default)', () => {
    test('uniform(key(0)) and uniform of the second key of split(key(0)) are those of the jax.random docs', () => {
      // docs.jax.dev, "jax.random module", PRNG keys: random.uniform(key) -> 0.947667, and after
      // `key, subkey = random.split(key)`, random.uniform(subkey) -> 0.00729382.
      const key = random.key(0);
      expect(random.uniform(key).item()).toBeCloseTo(0.947667, 6);
      expect(random.uniform(random.split(key).get(1)).item()).toBeCloseTo(0.00729382, 8);
    });

    test('uniform(key(0)) is exactly the float made from the first known-answer vector', () => {
      // bits = 0x6b200159 ^ 0x99ba4efe; 23 mantissa bits under 1.0's exponent, minus 1.
      const mantissa = ((0x6b200159 ^ 0x99ba4efe) >>> 0) >>> 9;
      expect(random.uniform(random.key(0)).item()).toBe(mantissa / 2 ** 23);
    });

    test("foldIn(key(0), 4) is JAX's (fold_in is the same under both schemes)", () => {
      // fold_in(PRNGKey(0), 4) from testPRNGValues in JAX's tests/random_test.py.
      expect(words(random.foldIn(random.key(0), 4))).toEqual([2285895361, 433833334]);
      expect(words(random.foldIn(random.key(0), numpy.array(4, { dtype: 'int32' })))).toEqual([
        2285895361, 433833334,
      ]);
    });

    test("split(key, n)[i] equals foldIn(key, i) for every n (JAX's test_threefry_split_fold_in_symmetry)", () => {
      const key = random.key(72);
      for (const n of [3, 5]) {
        const keys = random.split(key, n);
        for (let i = 0; i < 3; i++)
          expect(words(keys.get(i))).toEqual(words(random.foldIn(key, i)));
      }
      // So split(key(0), 5)[4] is JAX's fold_in(key(0), 4).
      expect(words(random.split(random.key(0), 5).get(4))).toEqual([2285895361, 433833334]);
    });

    test('bits are the xor of the two words of each counter, a prefix of a longer draw', () => {
      const key = random.key(3);
      const keys = random.split(key, 6);
      const xor = [0, 1, 2, 3, 4, 5].map(
        (i) => (words(keys.get(i))[0]! ^ words(keys.get(i))[1]!) >>> 0,
      );
      expect(words(random.bits(key, [6]))).toEqual(xor);
      expect(words(random.bits(key, [4]))).toEqual(xor.slice(0, 4));
      expect(words(random.bits(key, [2, 3]))).toEqual(xor);
    });
  });

  describe('the scheme before JAX 0.5 (threefryPartitionable(false))', () => {
    const legacy = <T>(fn: () => T): T => random.threefryPartitionable(false, fn);

    test("split and randint of key(0) are testPRNGValues of JAX's tests/random_test.py", () => {
      legacy(() => {
        expect(words(random.split(random.key(0), 4))).toEqual([
          2285895361, 1501764800, 1518642379, 4090693311, 433833334, 4221794875, 839183663,
          3740430601,
        ]);
        expect(random.randint(random.key(0), [3, 3], 0, 8).tolist()).toEqual([
          [2, 1, 3],
          [6, 1, 5],
          [6, 3, 4],
        ]);
        expect(words(random.foldIn(random.key(0), 4))).toEqual([2285895361, 433833334]);
      });
    });

    test("bits of key(1701) are testRngRandomBits of JAX's tests/random_test.py", () => {
      legacy(() =>
        expect(words(random.bits(random.key(1701), [3]))).toEqual([
          56197195, 4200222568, 961309823,
        ]),
      );
    });

    test('the flag is restored afterwards, also when the function throws', () => {
      expect(() => legacy(() => random.split(random.key(0), -1))).toThrow(/split/);
      expect(words(random.split(random.key(0), 5).get(4))).toEqual([2285895361, 433833334]);
    });

    // _RANDOM_VALUES_CASES of JAX's tests/random_test.py (jax 0.4.x, threefry2x32): the seed is
    // zlib.adler32(name + 'threefry2x32'), the shape (5,), and the values are printed to 6 digits.
    test("bits, uniform, bernoulli and randint are JAX's", () => {
      legacy(() => {
        expect(words(random.bits(random.key(942802475), [5]))).toEqual([
          1978747883, 4134381225, 3628107870, 689687174, 2788938207,
        ]);
        expectPrinted(
          random.uniform(random.key(1338574713), [5]),
          [0.298671, 0.073213, 0.873356, 0.260549, 0.412797],
        );
        expect(random.bernoulli(random.key(1612777541), 0.5, [5]).tolist()).toEqual([
          false,
          true,
          true,
          true,
          false,
        ]);
        expect(random.randint(random.key(1319372649), [5], 0, 10).tolist()).toEqual([
          0, 5, 7, 7, 5,
        ]);
      });
    });

    test("normal, truncatedNormal and gumbel are JAX's", () => {
      legacy(() => {
        expectPrinted(
          random.normal(random.key(1193674498), [5]),
          [-1.173234, -1.511662, 0.070593, -0.099764, 1.052845],
        );
        expectPrinted(
          random.truncatedNormal(random.key(2846034731), 0, 2, [5]),
          [0.582807, 1.709771, 0.159513, 0.861376, 0.36148],
        );
        expectPrinted(
          random.gumbel(random.key(1179715317), [5]),
          [2.06701, 0.911726, 0.145736, 0.185427, -0.00711],
          4,
        );
      });
    });

    test('normal draws in a split loop are those a JAX user printed, to the last bit', () => {
      // From the README of github.com/GALVINLAI/lai_PSR_RCBCD, which follows JAX's "Pseudorandom
      // numbers" tutorial: key = PRNGKey(12); three times `new_key, subkey = split(key)`,
      // `normal(subkey)`, `key = new_key`, printed as float64.
      legacy(() => {
        let key = random.key(12);
        const draws: number[] = [];
        for (let i = 0; i < 3; i++) {
          const keys = random.split(key);
          key = keys.get(0);
          draws.push(random.normal(keys.get(1)).item());
        }
        expect(draws).toEqual(f32([0.735927939414978, 1.810187578201294, 0.11553369462490082]));
      });
    });
  });
});
