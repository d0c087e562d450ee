/** What the end-to-end tests do in the app, as a user would: choose, click, draw; and what they read back. */
import type { Page } from 'playwright-core';

export type BackendName = 'webgpu' | 'gpujs' | 'cpu';

const LABELS: Record<BackendName, string> = {
  webgpu: 'WebGPU',
  gpujs: 'WebGL (gpu.js)',
  cpu: 'CPU',
};

/** Chooses `name` in the backend picker (if it is not the current one) and waits for fresh models on it. */
export async function chooseBackend(page: Page, name: BackendName): Promise<void> {
  const radio = page.locator(`input[name=backend][value=${name}]`);
  if (!(await radio.isChecked())) await radio.check();
  await page.waitForFunction(
    (label) =>
      document.querySelector('#status')?.textContent === `Training on ${label}.` &&
      document.querySelector('#mnist')?.getAttribute('data-state') === 'ready' &&
      document.querySelector('#toy')?.getAttribute('data-state') === 'ready',
    LABELS[name],
    { timeout: 120_000 },
  );
}

/** A number read from an element's text or one of its data attributes (NaN when absent). */
export async function numberOf(page: Page, selector: string, attribute?: string): Promise<number> {
  const text = attribute
    ? await page.getAttribute(selector, attribute)
    : await page.textContent(selector);
  return Number.parseFloat(text ?? 'NaN');
}

/**
 * Trains the MNIST model until it has taken at least `steps` steps, pauses, and waits for the test
 * accuracy of the paused model.
 */
export async function trainMnist(page: Page, steps: number): Promise<void> {
  await page.click('#mnist-start');
  await page.waitForFunction(
    (n) => Number(document.querySelector('#mnist-step')?.textContent) >= n,
    steps,
    {
      timeout: 150_000,
      polling: 250,
    },
  );
  await page.click('#mnist-pause');
  await page.waitForFunction(
    () => {
      const step = document.querySelector('#mnist-step')?.textContent;
      return (
        document.querySelector('#mnist')?.getAttribute('data-state') === 'paused' &&
        document
          .querySelector('#mnist-accuracy-summary')
          ?.textContent?.endsWith(`at step ${step})`) === true
      );
    },
    undefined,
    { timeout: 60_000 },
  );
}

/** Trains the 2D classifier for at least `steps` steps and pauses it. */
export async function trainToy(page: Page, steps: number): Promise<void> {
  await page.click('#toy-start');
  await page.waitForFunction(
    (n) => Number(document.querySelector('#toy-step')?.textContent) >= n,
    steps,
    {
      timeout: 150_000,
      polling: 250,
    },
  );
  await page.click('#toy-pause');
  await page.waitForFunction(
    () => document.querySelector('#toy')?.getAttribute('data-state') === 'paused',
  );
}

/** How many pixels of the canvas `selector` are within 40 of the colour `rgb` on every channel. */
export function pixelsNear(
  page: Page,
  selector: string,
  rgb: readonly [number, number, number],
): Promise<number> {
  return page.evaluate(
    ([sel, [r, g, b]]) => {
      const canvas = document.querySelector(sel) as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let count = 0;
      for (let i = 0; i < data.length; i += 4) {
        const near =
          Math.abs(data[i]! - r) < 40 &&
          Math.abs(data[i + 1]! - g) < 40 &&
          Math.abs(data[i + 2]! - b) < 40;
        if (near && data[i + 3]! > 200) count++;
      }
      return count;
    },
    [selector, rgb] as const,
  );
}

/** Draws a vertical stroke, a "1", down the middle of the drawing pad with the mouse. */
export async function drawOne(page: Page): Promise<void> {
  const pad = page.locator('#pad');
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.2);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++)
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * (0.2 + 0.06 * i));
  await page.mouse.up();
}
