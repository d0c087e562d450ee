/**
 * The drawing pad and the weights, on the CPU backend (the quickest to train): a drawn digit gets
 * probabilities, saved weights load back to the same predictions, and a bad file gets a readable error.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { chooseBackend, drawOne, numberOf, trainMnist } from './actions.js';
import { openApp, screenshot, useServedApp, type AppPage } from './browser.js';

const served = useServedApp();
let app: AppPage;

beforeAll(async () => {
  app = await openApp(served);
  await chooseBackend(app.page, 'cpu');
  await trainMnist(app.page, 150);
});

afterAll(async () => {
  await app?.context.close();
});

afterEach(() => {
  expect(app.pageErrors).toEqual([]);
});

/** The pad's ten class probabilities, as shown. */
async function probabilities(page: Page): Promise<number[]> {
  const values = await page
    .locator('#pad-probabilities li')
    .evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-probability'))));
  return values;
}

test('a digit drawn on the pad gets class probabilities; clear and a test digit update them', async () => {
  const { page } = app;
  expect(await page.getAttribute('#pad-prediction', 'data-predicted')).toBeNull();
  await drawOne(page);
  await page.waitForSelector('#pad-prediction[data-predicted]');
  const shown = await probabilities(page);
  expect(shown).toHaveLength(10);
  expect(shown.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
  // A straight vertical stroke is a 1 to any model that has learnt MNIST.
  expect(await page.getAttribute('#pad-prediction', 'data-predicted')).toBe('1');
  expect(await page.textContent('#pad-prediction')).toMatch(/^Looks like a 1 \(\d+\.\d% sure\)\.$/);
  await screenshot(page, 'pad');

  await page.click('#pad-clear');
  await page.waitForSelector('#pad-prediction:not([data-predicted])');
  expect(await page.textContent('#pad-prediction')).toBe(
    'Draw a digit to see what the model thinks.',
  );

  await page.click('#pad-sample');
  await page.waitForSelector('#pad-prediction[data-predicted]');
  expect((await probabilities(page)).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
});

test('downloaded weights load back after a reset and give the same test accuracy and predictions', async () => {
  const { page } = app;
  const trainedAccuracy = await numberOf(page, '#mnist-accuracy-summary', 'data-latest');
  const trainedPredictions = await page
    .locator('#mnist-digits li')
    .evaluateAll((items) => items.map((item) => item.getAttribute('data-predicted')));
  expect(trainedAccuracy).toBeGreaterThan(0.8);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('#weights-download'),
  ]);
  expect(download.suggestedFilename()).toMatch(/^mnist-mlp-step\d+\.safetensors$/);
  const saved = join(
    mkdtempSync(join(tmpdir(), 'playground-weights-')),
    download.suggestedFilename(),
  );
  await download.saveAs(saved);
  // A safetensors file: an 8-byte little-endian header length, then a JSON header.
  const bytes = readFileSync(saved);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<
    string,
    unknown
  >;
  expect(header.__metadata__).toMatchObject({ model: 'mlp' });
  expect(Object.keys(header).sort()).toEqual(
    [
      '__metadata__',
      'mlp.layers.0.bias',
      'mlp.layers.0.weight',
      'mlp.layers.1.bias',
      'mlp.layers.1.weight',
    ].sort(),
  );

  await page.click('#mnist-reset');
  await page.waitForFunction(() => document.querySelector('#mnist-step')?.textContent === '0');
  await page.waitForSelector('#mnist[data-state=ready]');
  expect(await numberOf(page, '#mnist-accuracy-summary', 'data-latest')).toBeLessThan(0.25);

  await page.setInputFiles('#weights-file', saved);
  await page.waitForFunction(() =>
    document.querySelector('#weights-status')?.textContent?.startsWith('Loaded '),
  );
  await page.waitForSelector('#mnist[data-state=ready]');
  expect(await numberOf(page, '#mnist-accuracy-summary', 'data-latest')).toBe(trainedAccuracy);
  const loadedPredictions = await page
    .locator('#mnist-digits li')
    .evaluateAll((items) => items.map((item) => item.getAttribute('data-predicted')));
  expect(loadedPredictions).toEqual(trainedPredictions);
  expect(await page.isVisible('#error')).toBe(false);
});

test('a corrupt or truncated weights file shows a readable error and leaves the model as it was', async () => {
  const { page } = app;
  const accuracy = await numberOf(page, '#mnist-accuracy-summary', 'data-latest');

  await page.setInputFiles('#weights-file', {
    name: 'corrupt.safetensors',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('this is not a safetensors file at all'),
  });
  await page.waitForSelector('#error:not([hidden])');
  const message = await page.textContent('#error-message');
  expect(message).toContain('Loading weights from "corrupt.safetensors"');
  expect(message).toMatch(/safetensors/i);
  await screenshot(page, 'corrupt-weights');
  await page.click('#error-dismiss');
  expect(await page.isVisible('#error')).toBe(false);

  // A real file cut short: the header promises more bytes than there are.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('#weights-download'),
  ]);
  const whole = readFileSync(await download.path());
  await page.setInputFiles('#weights-file', {
    name: 'truncated.safetensors',
    mimeType: 'application/octet-stream',
    buffer: whole.subarray(0, whole.length - 1000),
  });
  await page.waitForSelector('#error:not([hidden])');
  expect(await page.textContent('#error-message')).toContain(
    'Loading weights from "truncated.safetensors"',
  );

  expect(await numberOf(page, '#mnist-accuracy-summary', 'data-latest')).toBe(accuracy);
});
