// The progress bar: in place on a terminal, plain lines now and then elsewhere, throughput that leaves
// out paused time, and an ETA from the run so far.
import { ProgressBar, formatDuration } from '../progress.js';

/** A sink that records what is written, and a clock the test moves. */
function setup(isTTY: boolean, totalSteps = 10) {
  const written: string[] = [];
  let now = 0;
  const bar = new ProgressBar(
    { write: (text) => written.push(text), isTTY, columns: 200 },
    { totalSteps, batchSize: 50, plainEvery: 1000, now: () => now },
  );
  return { bar, written, advance: (ms: number) => (now += ms) };
}

test('durations read as m:ss or h:mm:ss', () => {
  expect(formatDuration(0)).toBe('0:00');
  expect(formatDuration(75.4)).toBe('1:15');
  expect(formatDuration(3723)).toBe('1:02:03');
  expect(formatDuration(Infinity)).toBe('?');
});

test('on a terminal every step redraws one line in place', () => {
  const { bar, written, advance } = setup(true);
  advance(100);
  bar.tick(2.5, 1);
  advance(100);
  bar.tick(2.25, 1);
  expect(written).toHaveLength(2);
  expect(written.every((text) => text.startsWith('\r\x1b[2K') && !text.includes('\n'))).toBe(true);
  // 2 steps of 50 examples in 0.2 s; 2 of 10 steps done in 0.2 s leaves 0.8 s.
  expect(written[1]).toContain('step  2/10 loss 2.2500 500 ex/s elapsed 0:00 ETA 0:01');
  bar.breakLine();
  expect(written.at(-1)).toBe('\n');
});

test('without a terminal it prints a plain line at most every plainEvery ms, and the last step', () => {
  const { bar, written, advance } = setup(false, 30);
  for (let step = 0; step < 30; step++) {
    advance(100);
    bar.tick(1, 1);
  }
  // Steps 10, 20 and 30 (1000 ms apart), each a whole line.
  expect(written.map((line) => line.match(/step (\d+)\//)![1])).toEqual(['10', '20', '30']);
  expect(written.every((line) => line.endsWith('\n') && !line.includes('\r'))).toBe(true);
});

test('time between pause and resume is not training time', () => {
  const { bar, advance } = setup(false);
  advance(100);
  bar.tick(1, 1);
  bar.pause();
  advance(5000); // evaluating
  bar.resume();
  advance(100);
  bar.tick(1, 2);
  expect(bar.throughput()).toBeCloseTo(500); // 100 examples in 0.2 s of training
});
