/**
 * What goes wrong in real browsers, shown in the page: a browser without WebGPU, and a WebGPU device
 * lost in the middle of training (destroyed here, as a driver reset or a sleeping laptop would), with
 * the recovery the page offers: choose WebGPU again and train on.
 */
import { numberOf } from './actions.js';
import { openApp, screenshot, useServedApp } from './browser.js';

const served = useServedApp();

test('without WebGPU, WebGPU is shown unavailable and the next best backend is chosen', async () => {
  const { context, page, pageErrors } = await openApp(served, {
    withoutWebGpu: true,
  });
  try {
    const webgpu = page.locator('input[name=backend][value=webgpu]');
    expect(await webgpu.isDisabled()).toBe(true);
    expect(await webgpu.isChecked()).toBe(false);
    expect(await page.textContent('#backend-note-webgpu')).toBe(
      '(unavailable: this browser has no WebGPU)',
    );
    expect(await page.isChecked('input[name=backend][value=gpujs]')).toBe(true);
    expect(await page.textContent('#status')).toBe('Training on WebGL (gpu.js).');
    expect(pageErrors).toEqual([]);
  } finally {
    await context.close();
  }
});

test('a WebGPU device lost mid-training shows an error; choosing WebGPU again trains on a new device', async () => {
  const { context, page, pageErrors } = await openApp(served, {
    keepDevices: true,
  });
  try {
    expect(await page.isChecked('input[name=backend][value=webgpu]')).toBe(true);
    await page.click('#mnist-start');
    await page.waitForFunction(
      () => Number(document.querySelector('#mnist-step')?.textContent) >= 3,
    );
    await page.evaluate(() => {
      for (const device of (window as unknown as { __devices: { destroy(): void }[] }).__devices)
        device.destroy();
    });

    await page.waitForSelector('#error:not([hidden])', { timeout: 60_000 });
    expect(await page.textContent('#error-message')).toMatch(
      /^Training stopped: the GPU device was lost \(destroyed: .*\), and the model on it with it\. .*Choose a backend again to continue/,
    );
    await page.waitForSelector('#mnist[data-state=paused]');
    expect(await page.isChecked('input[name=backend][value=webgpu]')).toBe(false);
    expect(await page.textContent('#backend-note-webgpu')).toBe(
      '(device lost: choose WebGPU again to start a new one)',
    );
    await screenshot(page, 'device-lost');

    await page.check('input[name=backend][value=webgpu]');
    await page.waitForFunction(
      () =>
        document.querySelector('#status')?.textContent === 'Training on WebGPU.' &&
        document.querySelector('#mnist')?.getAttribute('data-state') === 'ready',
      undefined,
      { timeout: 60_000 },
    );
    expect(await page.isVisible('#error')).toBe(false);
    await page.click('#mnist-start');
    await page.waitForFunction(
      () => Number(document.querySelector('#mnist-step')?.textContent) >= 3,
      undefined,
      {
        timeout: 60_000,
      },
    );
    await page.click('#mnist-pause');
    expect(await numberOf(page, '#mnist-loss-summary', 'data-latest')).toBeGreaterThan(0);
    expect(await page.isVisible('#error')).toBe(false);
    expect(pageErrors).toEqual([]);
  } finally {
    await context.close();
  }
});
