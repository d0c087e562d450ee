/**
 * Training on each backend Chromium offers (WebGPU and WebGL on SwiftShader, and the CPU): the loss goes
 * down, the test accuracy rises, the plots, the digit grid and the decision boundary render.
 */
import {
  chooseBackend,
  numberOf,
  pixelsNear,
  trainMnist,
  trainToy,
  type BackendName,
} from './actions.js';
import { openApp, screenshot, useServedApp } from './browser.js';

const served = useServedApp();

/** The plots' line colour in the light theme (style.css's --plot-line). */
const PLOT_LINE = [0x23, 0x56, 0xc7] as const;

// Steps per backend: enough for the loss to fall clearly, few enough for a software GPU.
const CASES: { backend: BackendName; steps: number }[] = [
  { backend: 'webgpu', steps: 20 },
  { backend: 'gpujs', steps: 15 },
  { backend: 'cpu', steps: 60 },
];

describe.each(CASES)('training on $backend', ({ backend, steps }) => {
  test('the MNIST loss falls, the accuracy rises, and the plots, the grid and the boundary render', async () => {
    const { context, page, pageErrors } = await openApp(served);
    try {
      await chooseBackend(page, backend);
      const initialAccuracy = await numberOf(page, '#mnist-accuracy-summary', 'data-latest');
      await trainMnist(page, steps);

      const first = await numberOf(page, '#mnist-loss-summary', 'data-first');
      const latest = await numberOf(page, '#mnist-loss-summary', 'data-latest');
      // A fresh 10-class model starts near ln 10.
      expect(first).toBeGreaterThan(1.9);
      expect(first).toBeLessThan(2.8);
      expect(latest).toBeLessThan(0.8 * first);
      const accuracy = await numberOf(page, '#mnist-accuracy-summary', 'data-latest');
      expect(initialAccuracy).toBeLessThan(0.25);
      expect(accuracy).toBeGreaterThan(0.5);
      expect(await numberOf(page, '#mnist-steps-per-second')).toBeGreaterThan(0);
      expect(await numberOf(page, '#mnist-examples-per-second')).toBeGreaterThan(0);

      // Both plots have drawn a line; the grid shows a prediction for every digit, most of them right.
      expect(await pixelsNear(page, '#mnist-loss-plot', PLOT_LINE)).toBeGreaterThan(50);
      expect(await pixelsNear(page, '#mnist-accuracy-plot', PLOT_LINE)).toBeGreaterThan(20);
      const digits = page.locator('#mnist-digits li[data-predicted]');
      expect(await digits.count()).toBe(48);
      const wrong = await page.locator('#mnist-digits li.wrong').count();
      expect(wrong).toBeLessThan(24);
      expect(await page.locator('#mnist-digits li.wrong[data-predicted]').count()).toBe(wrong);

      // The 2D classifier on the same backend: loss down, boundary redrawn.
      const redrawsBefore = await numberOf(page, '#toy-boundary', 'data-redraws');
      await trainToy(page, 20);
      const toyFirst = await numberOf(page, '#toy-loss', 'data-first');
      const toyLatest = await numberOf(page, '#toy-loss', 'data-latest');
      expect(toyLatest).toBeLessThan(toyFirst);
      // Redrawn every 10 steps (the last redraw may still be finishing as the pause lands).
      await page.waitForFunction(
        (n) => Number(document.querySelector('#toy-boundary')?.getAttribute('data-redraws')) >= n,
        redrawsBefore + 2,
        { timeout: 30_000 },
      );

      await screenshot(page, `training-${backend}`);
      expect(await page.isVisible('#error')).toBe(false);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
