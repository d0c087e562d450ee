/**
 * Headless Chromium for the end-to-end tests: Debian's /usr/bin/chromium (as .ci/run installs) driven by
 * playwright-core, with WebGPU and WebGL2 both on SwiftShader, and helpers to open the app and wait for
 * it.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { type AppServer, serveApp } from './server.js';

const app = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built app the tests serve. */
export const DIST = join(app, 'dist');
/** Screenshots the tests save (CI keeps them as artefacts). */
export const ARTIFACTS = join(app, 'test-artifacts');

// --enable-unsafe-webgpu: Chromium on Linux offers no WebGPU adapter without it. The next three pin WebGPU
// and WebGL2 to SwiftShader, what a machine without a GPU gets anyway; the rest keep a headless Chromium
// from reaching for the network, which this machine closes.
const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
}

/** The served app and the browser a test file uses. */
export interface ServedApp {
  readonly origin: string;
  readonly browser: Browser;
}

/** Serves dist/ and starts Chromium before a test file's tests, and stops both after them. */
export function useServedApp(): ServedApp {
  let server: AppServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await serveApp(DIST);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get origin() {
      return server!.origin;
    },
    get browser() {
      return browser!;
    },
  };
}

/** How a test page differs from a plain visit. */
export interface OpenOptions {
  /** Removes `navigator.gpu` before the app runs, as in a browser without WebGPU. */
  withoutWebGpu?: boolean;
  /** Keeps every GPUDevice the app creates in `window.__devices`, so a test can destroy them. */
  keepDevices?: boolean;
  /** Default 1280 x 900. */
  viewport?: { width: number; height: number };
  /** A touch screen, as on a phone (`Input.dispatchTouchEvent` then works). */
  hasTouch?: boolean;
}

/** An open app: its page and the uncaught errors seen in it (a test expects none). */
export interface AppPage {
  context: BrowserContext;
  page: Page;
  pageErrors: string[];
}

/** Opens the app and waits until it has chosen a backend and evaluated its first models. */
export async function openApp(app: ServedApp, options: OpenOptions = {}): Promise<AppPage> {
  const context = await app.browser.newContext({
    acceptDownloads: true,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    hasTouch: options.hasTouch ?? false,
  });
  if (options.withoutWebGpu) {
    await context.addInitScript(() => {
      delete (Navigator.prototype as { gpu?: unknown }).gpu;
    });
  }
  if (options.keepDevices) {
    await context.addInitScript(() => {
      const devices: unknown[] = [];
      (window as unknown as { __devices: unknown[] }).__devices = devices;
      const adapter = (
        globalThis as unknown as {
          GPUAdapter?: { prototype: { requestDevice(...a: unknown[]): Promise<unknown> } };
        }
      ).GPUAdapter;
      if (!adapter) return;
      const requestDevice = adapter.prototype.requestDevice;
      adapter.prototype.requestDevice = async function (this: unknown, ...args: unknown[]) {
        const device = await requestDevice.apply(this, args);
        devices.push(device);
        return device;
      };
    });
  }
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.stack ?? error.message));
  await page.goto(app.origin);
  await waitForReady(page);
  return { context, page, pageErrors };
}

/** Waits until both panels have a fresh model on the chosen backend. */
export async function waitForReady(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      document.querySelector('#mnist')?.getAttribute('data-state') === 'ready' &&
      document.querySelector('#toy')?.getAttribute('data-state') === 'ready' &&
      document.querySelector('#mnist-accuracy-summary')?.hasAttribute('data-latest') === true,
    undefined,
    { timeout: 120_000 },
  );
}

/** Saves a screenshot of the whole page as test-artifacts/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
