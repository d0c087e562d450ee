// Bad input for jnp's elementwise functions: non-tensors, shapes that do not broadcast and dtypes an
// operation does not take are clear errors; NaN, infinities and empty tensors give NumPy's results,
// checked against JavaScript's own Math (an independent reference).
import { jnp, type Tensor } from '../../src/index.js';
import { expectBadInput, loose, values } from './expect-bad-input.js';
import {
  BINARY_REFERENCES,
  COMPARISON_REFERENCES,
  INTEGER_BINARY,
  LOGICAL_BINARY,
  UNARY_REFERENCES,
} from './elementwise-references.js';

/** NumPy's value for each special input, from Math; the kernel works in float32, hence the tolerance. */
function expectSame(found: readonly number[], reference: readonly number[]): void {
  expect(found).toHaveLength(reference.length);
  found.forEach((v, i) => {
    const want = Math.fround(reference[i]!);
    if (Number.isNaN(want) || !Number.isFinite(want)) expect(v).toBe(want);
    else expect(Math.abs(v - want)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want)));
  });
}

/** NaN, both infinities, zero and values outside many domains (log, sqrt, arcsin, arccosh, arctanh). */
const SPECIAL = [NaN, Infinity, -Infinity, 0, -1, 1, 2, -2.25];

/** The pairs of special values binary functions are checked on. */
const LEFT = [NaN, 2, Infinity, -Infinity, 0, -1, 0, 3];
const RIGHT = [2, NaN, -1, 2, 0, 0.5, -1, Infinity];

const fn = (name: string) => (jnp as unknown as Record<string, (...a: unknown[]) => Tensor>)[name]!;

describe('unary elementwise functions', () => {
  describe.each(Object.keys(UNARY_REFERENCES))('%s', (name) => {
    test('a non-tensor argument is named', async () => {
      await expectBadInput(() => fn(name)({ a: 1 }), { op: name, mentions: ['found an object'] });
      await expectBadInput(() => fn(name)('x'), { op: name, mentions: ['"x"'] });
    });
    test('NaN, infinities and out-of-domain values give NumPy results', () => {
      const reference = SPECIAL.map(UNARY_REFERENCES[name]!);
      expectSame(values(fn(name)(jnp.array(SPECIAL))), reference);
    });
    test('an empty tensor gives an empty tensor of the same shape', () => {
      expect(fn(name)(jnp.zeros([0, 3])).shape).toEqual([0, 3]);
    });
  });
});

describe('binary elementwise functions', () => {
  const all = [
    ...Object.keys(BINARY_REFERENCES),
    ...Object.keys(COMPARISON_REFERENCES),
    'floorDivide',
  ];
  describe.each(all)('%s', (name) => {
    test('shapes that do not broadcast are named, both of them', async () => {
      await expectBadInput(() => fn(name)(jnp.ones([2, 3]), jnp.ones([4, 5])), {
        op: name,
        mentions: ['[2, 3]', '[4, 5]'],
      });
    });
    test('a non-tensor operand is named by position', async () => {
      await expectBadInput(() => fn(name)({}, jnp.ones([2])), {
        op: name,
        mentions: ['operand 0', 'found an object'],
      });
      await expectBadInput(() => fn(name)(jnp.ones([2]), 'x'), {
        op: name,
        mentions: ['operand 1', '"x"'],
      });
    });
    test('empty tensors broadcast to an empty result', () => {
      expect(fn(name)(jnp.zeros([0, 1]), jnp.zeros([3])).shape).toEqual([0, 3]);
    });
  });

  test.each(Object.keys(BINARY_REFERENCES))('%s: NaN and infinities give NumPy results', (name) => {
    const reference = LEFT.map((a, i) => BINARY_REFERENCES[name]!(a, RIGHT[i]!));
    expectSame(values(fn(name)(jnp.array(LEFT), jnp.array(RIGHT))), reference);
  });

  test.each(Object.keys(COMPARISON_REFERENCES))('%s: NaN compares as NumPy does', (name) => {
    const reference = LEFT.map((a, i) => Number(COMPARISON_REFERENCES[name]!(a, RIGHT[i]!)));
    expect(values(fn(name)(jnp.array(LEFT), jnp.array(RIGHT)))).toEqual(reference);
  });

  test('floorDivide: division by zero gives infinities and NaN as NumPy', () => {
    const out = values(jnp.floorDivide(jnp.array([1, -1, 0]), jnp.array([0, 0, 0])));
    expect(out).toEqual([Infinity, -Infinity, NaN]);
  });

  describe.each(INTEGER_BINARY)('%s', (name) => {
    test('float32 operands are refused, naming the dtype found', async () => {
      await expectBadInput(() => fn(name)(jnp.ones([2]), jnp.ones([2])), {
        op: name,
        mentions: ['float32'],
      });
    });
    test('shapes that do not broadcast and non-tensors are named', async () => {
      const int = (shape: number[]) => jnp.ones(shape, { dtype: 'int32' });
      await expectBadInput(() => fn(name)(int([2, 3]), int([4])), {
        op: name,
        mentions: ['[2, 3]', '[4]'],
      });
      await expectBadInput(() => fn(name)(loose(null), int([2])), { op: name, mentions: ['null'] });
    });
  });

  describe.each(LOGICAL_BINARY)('%s', (name) => {
    test('shapes that do not broadcast and non-tensors are named', async () => {
      await expectBadInput(() => fn(name)(jnp.ones([2, 3]), jnp.ones([4])), {
        op: name,
        mentions: ['[2, 3]', '[4]'],
      });
      await expectBadInput(() => fn(name)({}, jnp.ones([2])), {
        op: name,
        mentions: ['found an object'],
      });
    });
    test('NaN is truthy, as in NumPy', () => {
      const out = fn(name)(jnp.array([NaN, NaN, 0]), jnp.array([1, 0, 0]));
      const reference = { logicalAnd: [1, 0, 0], logicalOr: [1, 1, 0], logicalXor: [0, 1, 0] };
      expect(values(out)).toEqual(reference[name as keyof typeof reference]);
    });
  });
});

describe('other elementwise functions', () => {
  test('invert takes int32 and bool only', async () => {
    await expectBadInput(() => jnp.invert(jnp.ones([2])), { op: 'invert', mentions: ['float32'] });
    await expectBadInput(() => jnp.invert(loose({})), { op: 'invert', mentions: ['object'] });
  });
  test('logicalNot: non-tensors are named; NaN is truthy', async () => {
    await expectBadInput(() => jnp.logicalNot(loose('x')), { op: 'logicalNot', mentions: ['"x"'] });
    expect(values(jnp.logicalNot(jnp.array([NaN, 0, Infinity])))).toEqual([0, 1, 0]);
  });
  test.each(['isnan', 'isinf', 'isfinite'])(
    '%s classifies special values as NumPy',
    async (name) => {
      const reference = {
        isnan: Number.isNaN,
        isinf: (x: number) => x === Infinity || x === -Infinity,
        isfinite: Number.isFinite,
      }[name]!;
      expect(values(fn(name)(jnp.array(SPECIAL)))).toEqual(
        SPECIAL.map((x) => Number(reference(x))),
      );
      expect(fn(name)(jnp.zeros([0])).shape).toEqual([0]);
      await expectBadInput(() => fn(name)({}), { op: name, mentions: ['object'] });
    },
  );
  test('where: shapes that do not broadcast and non-tensors are named', async () => {
    await expectBadInput(() => jnp.where(jnp.ones([3]), jnp.ones([2]), 0), {
      op: 'where',
      mentions: ['[3]', '[2]'],
    });
    await expectBadInput(() => jnp.where(loose({}), 1, 0), { op: 'where', mentions: ['object'] });
    await expectBadInput(() => jnp.where(true, loose(undefined), 0), {
      op: 'where',
      mentions: ['undefined'],
    });
  });
  test('where: a NaN condition is truthy', () => {
    expect(values(jnp.where(jnp.array([NaN, 0]), 1, 2))).toEqual([1, 2]);
  });
  test('clip: shapes that do not broadcast and non-tensors are named; NaN stays NaN', async () => {
    await expectBadInput(() => jnp.clip(jnp.ones([2, 3]), jnp.zeros([4])), {
      op: 'maximum',
      mentions: ['[2, 3]', '[4]'],
    });
    await expectBadInput(() => jnp.clip(loose('x'), 0, 1), { op: 'clip', mentions: ['"x"'] });
    expect(values(jnp.clip(jnp.array([NaN, -Infinity, Infinity]), 0, 1))).toEqual([NaN, 0, 1]);
  });
});
