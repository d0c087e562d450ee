// Elementwise closeness for the loss tests, which compare float32 results with float64 references.
import type { Tensor } from '@equinox-ts/autodiff';

/**
 * Elementwise |a - e| <= atol + rtol |e|, with NaN matching NaN. A failure names the index, since a
 * bare boolean would not say which element was off.
 */
export function expectClose(
  actual: Tensor | number[],
  expected: number[],
  rtol = 1e-6,
  atol = 1e-6,
): void {
  const a = Array.isArray(actual) ? actual : Array.from(actual.dataSync() as Float32Array);
  expect(a.length).toBe(expected.length);
  a.forEach((v, i) => {
    const e = expected[i]!;
    if (Number.isNaN(e)) expect(v).toBeNaN();
    else expect({ i, ok: Math.abs(v - e) <= atol + rtol * Math.abs(e) }).toEqual({ i, ok: true });
  });
}
