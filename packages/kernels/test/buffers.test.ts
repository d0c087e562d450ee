// Released arrays' memory is reused for later elementwise results, never while a view can still read it.
import { cpu } from '../src/index.js';

const N = 4096; // above the size worth keeping

test('a released array is reused for the next elementwise result of its dtype and size', () => {
  const a = cpu.full([N], 1, 'float32');
  const first = cpu.binary('add', a, a);
  const firstData = (first as unknown as { data: Float32Array }).data;
  cpu.release(first);
  const second = cpu.binary('mul', a, a);
  expect((second as unknown as { data: Float32Array }).data).toBe(firstData);
  expect(cpu.readSync(second)[0]).toBe(1);
  expect(() => cpu.unary('neg', first)).toThrow(/released/);
});

test('the elements of an array that a view shares are not reused', async () => {
  const a = cpu.full([N], 2, 'float32');
  const b = cpu.binary('add', a, a);
  const view = cpu.reshape(b, [N / 2, 2]); // shares b's elements
  cpu.release(b);
  const other = cpu.binary('mul', a, a); // must not overwrite what `view` reads
  expect(Array.from(cpu.readSync(other).slice(0, 2))).toEqual([4, 4]);
  expect(Array.from((await cpu.read(view)).slice(0, 2))).toEqual([4, 4]);
  // The same for the view itself.
  cpu.release(view);
  cpu.binary('sub', a, a);
  expect(() => cpu.readSync(view)).toThrow(/released/);
});

test('releasing twice is an error and keeps nothing twice; small arrays are not kept', () => {
  const a = cpu.full([N], 1, 'float32');
  const b = cpu.binary('add', a, a);
  cpu.release(b);
  expect(() => cpu.release(b)).toThrow('release: `x` was released and cannot be used');
  const c = cpu.binary('add', a, a);
  const d = cpu.binary('add', a, a);
  expect((c as unknown as { data: unknown }).data).not.toBe(
    (d as unknown as { data: unknown }).data,
  );
  const small = cpu.binary('add', cpu.full([8], 1, 'float32'), cpu.full([8], 1, 'float32'));
  const smallData = (small as unknown as { data: unknown }).data;
  cpu.release(small);
  expect(
    (
      cpu.binary('add', cpu.full([8], 1, 'float32'), cpu.full([8], 1, 'float32')) as unknown as {
        data: unknown;
      }
    ).data,
  ).not.toBe(smallData);
});
