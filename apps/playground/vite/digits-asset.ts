/**
 * A Vite plugin that gives the app its digits as one binary file, `digits.bin` (see
 * src/data/digits-file.ts): served by the dev server, emitted as an asset by the build. The digits are
 * the `mnist` package's 10,000 or so real handwritten digits, read from its JSON files at build time.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Plugin } from 'vite';
import { type Digits, IMAGE_SIZE, encodeDigits } from '../src/data/digits-file.js';

/** The file's name, beside index.html. */
const FILE_NAME = 'digits.bin';

// Resolved from this package, where `mnist` is a devDependency.
const require = createRequire(import.meta.url);

/**
 * Every digit of the `mnist` package, ordered by label (its files hold one label each).
 *
 * @throws Error when a file does not hold whole 784-pixel images.
 */
export function loadPackageDigits(): Digits {
  const perLabel = Array.from({ length: 10 }, (_, label) => {
    const path = require.resolve(`mnist/src/digits/${label}.json`);
    // Parsed and dropped rather than required, so the 21 MB of JSON is not kept in require's cache.
    const { data } = JSON.parse(readFileSync(path, 'utf8')) as { data: number[] };
    if (data.length === 0 || data.length % IMAGE_SIZE !== 0) {
      throw new Error(
        `loadPackageDigits: ${path} must hold whole images of ${IMAGE_SIZE} pixels, ` +
          `found ${data.length} values`,
      );
    }
    return data;
  });
  const total = perLabel.reduce((sum, data) => sum + data.length / IMAGE_SIZE, 0);
  const images = new Float32Array(total * IMAGE_SIZE);
  const labels = new Int32Array(total);
  let count = 0;
  perLabel.forEach((data, label) => {
    images.set(data, count * IMAGE_SIZE);
    const n = data.length / IMAGE_SIZE;
    labels.fill(label, count, count + n);
    count += n;
  });
  return { images, labels };
}

/**
 * The plugin: `vite dev` answers `/digits.bin` (under the configured base), `vite build` writes
 * `digits.bin` beside index.html. The file is encoded once, the first time it is needed.
 */
export function digitsAsset(): Plugin {
  let encoded: Uint8Array | undefined;
  const bytes = (): Uint8Array => (encoded ??= encodeDigits(loadPackageDigits()));
  return {
    name: 'equinox-ts-playground:digits',
    configureServer(server) {
      const paths = new Set([`/${FILE_NAME}`, `${server.config.base}${FILE_NAME}`]);
      server.middlewares.use((request, response, next) => {
        const path = request.url?.split('?')[0];
        if (path === undefined || !paths.has(path)) return next();
        if (request.method !== 'GET' && request.method !== 'HEAD') return next();
        const body = bytes();
        response.statusCode = 200;
        response.setHeader('Content-Type', 'application/octet-stream');
        response.setHeader('Content-Length', String(body.length));
        // The file changes only with the mnist package; revalidating costs little in development.
        response.setHeader('Cache-Control', 'no-cache');
        response.end(request.method === 'HEAD' ? undefined : body);
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: FILE_NAME, source: bytes() });
    },
  };
}
