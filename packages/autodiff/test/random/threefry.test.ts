// Threefry-2x32 (20 rounds) against the published known-answer vectors, and the uint32 helpers.
import { numpy, random, type Tensor } from '../../src/index.js';
import { urem } from '../../src/random/uint32.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';

const words = (t: Tensor): number[] => Array.from(t.dataSync(), (w) => w >>> 0);
const int32 = (values: number[]): Tensor => numpy.array(Int32Array.from(values));

// The known-answer vectors of Threefry-2x32 with 20 rounds from D. E. Shaw Research's Random123
// (its tests/kat_vectors, whose columns are rounds, counter, key, result; JAX's tests/random_test.py
// checks the same three in testThreefry2x32):
//   threefry2x32 20 00000000 00000000 00000000 00000000   6b200159 99ba4efe
//   threefry2x32 20 ffffffff ffffffff ffffffff ffffffff   1cb996fc bb002be7
//   threefry2x32 20 243f6a88 85a308d3 13198a2e 03707344   c4923a9c 483df7a0
const KAT: { key: [number, number]; counter: [number, number]; expected: [number, number] }[] = [
  { key: [0, 0], counter: [0, 0], expected: [0x6b200159, 0x99ba4efe] },
  {
    key: [0xffffffff, 0xffffffff],
    counter: [0xffffffff, 0xffffffff],
    expected: [0x1cb996fc, 0xbb002be7],
  },
  {
    key: [0x13198a2e, 0x03707344],
    counter: [0x243f6a88, 0x85a308d3],
    expected: [0xc4923a9c, 0x483df7a0],
  },
];

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);

  test.each(KAT)(
    'threefry2x32 matches the known answer for key $key',
    ({ key, counter, expected }) => {
      const [y0, y1] = random.threefry2x32(int32(key), int32([counter[0]]), int32([counter[1]]));
      expect([...words(y0), ...words(y1)]).toEqual(expected);
    },
  );

  test('threefry2x32 hashes each counter pair independently and broadcasts', () => {
    const key = int32(KAT[2]!.key);
    const x0 = int32([KAT[2]!.counter[0], 0, KAT[2]!.counter[0]]);
    const x1 = int32([KAT[2]!.counter[1], 0, KAT[2]!.counter[1]]);
    const [y0, y1] = random.threefry2x32(key, x0, x1);
    expect(words(y0)[0]).toBe(0xc4923a9c);
    expect(words(y0)[2]).toBe(0xc4923a9c);
    expect(words(y1)[2]).toBe(0x483df7a0);
    expect(words(y0)[1]).not.toBe(0xc4923a9c);
    // A 0-d counter word broadcasts against a vector.
    const [z0] = random.threefry2x32(
      int32([0, 0]),
      numpy.array(0, { dtype: 'int32' }),
      int32([0, 1]),
    );
    expect(z0.shape).toEqual([2]);
    expect(words(z0)[0]).toBe(0x6b200159);
  });

  test('threefry2x32 refuses counters that are not int32', () => {
    expect(() => random.threefry2x32(random.key(0), numpy.zeros([2]), int32([0, 0]))).toThrow(
      /threefry2x32: `x0` must be int32/,
    );
  });

  test('urem is the uint32 remainder, including dividends and divisors at or above 2^31', () => {
    const samples = [
      0, 1, 2, 7, 65535, 65536, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff,
      123456789, 3000000000,
    ];
    const a: number[] = [];
    const d: number[] = [];
    const expected: number[] = [];
    for (const x of samples) {
      for (const y of samples) {
        a.push(x);
        d.push(y);
        // XLA's convention: x % 0 = x.
        expected.push(y === 0 ? x : x % y);
      }
    }
    expect(words(urem(int32(a), int32(d)))).toEqual(expected);
  });
});
