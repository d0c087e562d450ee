// The steps-per-second readout: the rate of explicit tick times worked out by hand, the 3-second window
// that forgets old ticks, and restart() after a pause.
import { Throughput } from '../src/train/throughput.js';

/** A Throughput that has seen a step finish at each of `times` (milliseconds). */
function ticked(times: readonly number[]): Throughput {
  const throughput = new Throughput();
  for (const time of times) throughput.tick(time);
  return throughput;
}

test('no rate until two steps have finished', () => {
  expect(ticked([]).stepsPerSecond()).toBeUndefined();
  expect(ticked([1234]).stepsPerSecond()).toBeUndefined();
});

test('the rate is the steps between the first and last tick over the time between them', () => {
  // Two intervals in 200 ms: 10 steps a second.
  expect(ticked([0, 100, 200]).stepsPerSecond()).toBeCloseTo(10, 10);
  // Four intervals in 50 ms: 80 a second, uneven spacing included.
  expect(ticked([1000, 1005, 1030, 1031, 1050]).stepsPerSecond()).toBeCloseTo(80, 10);
});

test('two ticks at the same time give no rate rather than infinity', () => {
  expect(ticked([500, 500]).stepsPerSecond()).toBeUndefined();
});

test('ticks more than 3 s older than the newest are dropped', () => {
  // Without the window: 3 intervals in 5200 ms, 0.58/s. With it, the tick at 0 goes once a tick lands
  // more than 3000 ms after it, leaving 2 intervals in 200 ms.
  expect(ticked([0, 5000, 5100, 5200]).stepsPerSecond()).toBeCloseTo(10, 10);
  // Ticks exactly 3000 ms apart stay: 3 intervals in 3000 ms.
  expect(ticked([0, 1000, 2000, 3000]).stepsPerSecond()).toBeCloseTo(1, 10);
  // A slow start then a fast stretch: only the last 3 s count (ticks 4000..7000 every 100 ms).
  const times = [0, 2000, ...Array.from({ length: 31 }, (_, i) => 4000 + 100 * i)];
  expect(ticked(times).stepsPerSecond()).toBeCloseTo(10, 10);
});

test('restart() forgets every tick, so the idle time of a pause does not count', () => {
  const throughput = ticked([0, 100, 200]);
  throughput.restart();
  expect(throughput.stepsPerSecond()).toBeUndefined();
  throughput.tick(60_000);
  expect(throughput.stepsPerSecond()).toBeUndefined();
  // One interval of 25 ms, unaffected by the ticks before the restart.
  throughput.tick(60_025);
  expect(throughput.stepsPerSecond()).toBeCloseTo(40, 10);
});

test('tick() without a time uses performance.now()', () => {
  const throughput = new Throughput();
  throughput.tick(performance.now() - 1000);
  throughput.tick();
  // One interval of a little over 1000 ms.
  const rate = throughput.stepsPerSecond()!;
  expect(rate).toBeLessThanOrEqual(1);
  expect(rate).toBeGreaterThan(0.9);
});
