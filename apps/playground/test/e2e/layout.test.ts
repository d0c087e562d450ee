/**
 * Usable by keyboard and on a phone: every control has a label, Tab and Enter start and pause training,
 * a narrow screen never scrolls sideways, and the page keeps responding while a model trains.
 */
import { chooseBackend, numberOf, trainMnist } from './actions.js';
import { openApp, screenshot, useServedApp } from './browser.js';

const served = useServedApp();

test('every control has an accessible name, and the keyboard starts and pauses training', async () => {
  const { context, page, pageErrors } = await openApp(served);
  try {
    await chooseBackend(page, 'cpu');
    const unnamed = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, button, canvas[tabindex]')]
        .filter((element) => {
          const labelled = element as HTMLInputElement;
          const text = element.textContent?.trim() ?? '';
          return !(
            (labelled.labels && labelled.labels.length > 0) ||
            element.hasAttribute('aria-label') ||
            element.hasAttribute('aria-labelledby') ||
            (element.tagName === 'BUTTON' && text.length > 0)
          );
        })
        .map((element) => element.outerHTML),
    );
    expect(unnamed).toEqual([]);

    // Tab from the top of the page to the Start button, then Enter; Tab to Pause, Enter.
    let focused = '';
    for (let presses = 0; presses < 30 && focused !== 'mnist-start'; presses++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.id ?? '');
    }
    expect(focused).toBe('mnist-start');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#mnist[data-state=running]');
    await page.waitForFunction(
      () => Number(document.querySelector('#mnist-step')?.textContent) >= 5,
    );
    // While training, the page's own timers keep running: the loop yields between steps.
    const ticks = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          let count = 0;
          const timer = setInterval(() => count++, 20);
          setTimeout(() => {
            clearInterval(timer);
            resolve(count);
          }, 1000);
        }),
    );
    expect(ticks).toBeGreaterThan(5);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('mnist-pause');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#mnist[data-state=paused]');
    expect(pageErrors).toEqual([]);
  } finally {
    await context.close();
  }
});

test('on a phone-sized screen nothing overflows sideways, the CNN trains, and a finger draws on the pad', async () => {
  const { context, page, pageErrors } = await openApp(served, {
    viewport: { width: 390, height: 844 },
    hasTouch: true,
  });
  try {
    await chooseBackend(page, 'cpu');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);

    // Before the first step a new choice applies at once: a fresh CNN.
    await page.selectOption('#mnist-model', 'cnn');
    await page.selectOption('#mnist-batch', '32');
    await page.waitForSelector('#mnist[data-state=ready]');
    await trainMnist(page, 20);
    const first = await numberOf(page, '#mnist-loss-summary', 'data-first');
    const latest = await numberOf(page, '#mnist-loss-summary', 'data-latest');
    expect(latest).toBeLessThan(0.9 * first);

    // A finger draws on the pad too (real touch events, which the browser turns into pointer events).
    const pad = page.locator('#pad');
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    const touch = await context.newCDPSession(page);
    const at = (fy: number) => [{ x: box.x + box.width / 2, y: box.y + box.height * fy }];
    await touch.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0.2) });
    for (let i = 1; i <= 10; i++) {
      await touch.send('Input.dispatchTouchEvent', {
        type: 'touchMove',
        touchPoints: at(0.2 + 0.06 * i),
      });
    }
    await touch.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await page.waitForSelector('#pad-prediction[data-predicted]');
    await screenshot(page, 'narrow');
    expect(pageErrors).toEqual([]);
  } finally {
    await context.close();
  }
});
