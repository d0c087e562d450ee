// linspace against NumPy/JAX results worked out by hand, including integer dtypes (rounded down).
import { numpy } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);

  describe('linspace', () => {
    test('float32 values with and without the endpoint', () => {
      expect(numpy.linspace(-1, 1, 5).tolist()).toEqual([-1, -0.5, 0, 0.5, 1]);
      expect(numpy.linspace(2, 0, 4, { endpoint: false }).tolist()).toEqual([2, 1.5, 1, 0.5]);
      expect(numpy.linspace(3, 7, 1).tolist()).toEqual([3]);
      expect(numpy.linspace(0, 1, 0).shape).toEqual([0]);
    });

    test('int32 values are rounded down, as JAX (not toward zero)', () => {
      const out = numpy.linspace(-1, 0, 3, { dtype: 'int32' });
      expect(out.dtype).toBe('int32');
      expect(out.tolist()).toEqual([-1, -1, 0]);
      expect(numpy.linspace(-2, 2, 5, { dtype: 'int32', endpoint: false }).tolist()).toEqual([
        -2, -2, -1, 0, 1,
      ]);
      expect(numpy.linspace(0, 1, 4, { dtype: 'int32' }).tolist()).toEqual([0, 0, 0, 1]);
    });

    test('a bad count is an error naming linspace', () => {
      expect(() => numpy.linspace(0, 1, -1)).toThrow(
        'linspace: num must be a non-negative integer, found -1',
      );
    });
  });
});
