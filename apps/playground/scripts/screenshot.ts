/**
 * Makes the screenshot the root README shows (docs/images/playground.png): the built app (run
 * `vite build` first) in headless Chromium, a few hundred steps of the MLP and the 2D classifier on the
 * CPU backend, and a test digit on the pad.
 *
 * Usage: pnpm --filter @equinox-ts/playground screenshot
 */
import { join } from 'node:path';
import { chooseBackend, trainMnist, trainToy } from '../test/e2e/actions.js';
import { DIST, launchBrowser, openApp } from '../test/e2e/browser.js';
import { serveApp } from '../test/e2e/server.js';

const target = join(DIST, '..', '..', '..', 'docs', 'images', 'playground.png');

const server = await serveApp(DIST);
const browser = await launchBrowser();
try {
  const { page } = await openApp(
    { origin: server.origin, browser },
    {
      viewport: { width: 1280, height: 1000 },
    },
  );
  await chooseBackend(page, 'cpu');
  await trainMnist(page, 300);
  await trainToy(page, 300);
  await page.click('#pad-sample');
  await page.waitForSelector('#pad-prediction[data-predicted]');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: target, fullPage: true });
  console.log(`wrote ${target}`);
} finally {
  await browser.close();
  await server.close();
}
