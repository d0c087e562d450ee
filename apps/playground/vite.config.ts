/**
 * The playground's build: equinox-ts from its TypeScript source (the workspace's `@equinox-ts/source`
 * export condition, so nothing needs building first), the MNIST digits as one binary asset, and the
 * cross-origin isolation headers that let the CPU backend run matmul and convolution on worker threads.
 */
import { defineConfig } from 'vite';
import { digitsAsset } from './vite/digits-asset.js';

// SharedArrayBuffer, which the CPU backend's worker threads share memory through, exists only in pages
// served with these two headers.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  resolve: { conditions: ['@equinox-ts/source'] },
  plugins: [digitsAsset()],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  build: { target: 'es2022', chunkSizeWarningLimit: 1024 },
});
