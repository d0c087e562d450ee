/**
 * The playground's entry point: loads the digits, starts the best backend this browser has, and sets
 * up the MNIST and decision-boundary panels. Everything it trains goes through the `equinox-ts` package.
 */
import { getBackend } from 'equinox-ts';
import { decodeDigits } from './data/digits-file.js';
import { splitDigits } from './data/mnist-sampler.js';
import { MnistPanel } from './mnist/panel.js';
import { ToyPanel } from './toy/panel.js';
import { BackendPicker } from './ui/backend-picker.js';
import { byId, setText } from './ui/dom.js';
import { clearError, setUpErrorBanner, showError } from './ui/errors.js';

/** Digits held out for the test accuracy and the grid (the rest, about 9,000, train). */
const TEST_SIZE = 1000;
/** The split is fixed, so every run is tested on the same digits. */
const SPLIT_SEED = 20_240_601;

const BACKEND_LABELS: Record<string, string> = {
  webgpu: 'WebGPU',
  gpujs: 'WebGL (gpu.js)',
  cpu: 'CPU',
};

const status = (text: string): void => setText(byId('status', HTMLElement), text);

async function fetchDigits(): Promise<Uint8Array> {
  const response = await fetch(`${import.meta.env.BASE_URL}digits.bin`);
  if (!response.ok)
    throw new Error(`fetching digits.bin failed: HTTP ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function main(): Promise<void> {
  setUpErrorBanner();
  status('Loading the digits and starting the backends…');
  let picker: BackendPicker | undefined = undefined;
  let panels: { restart(): Promise<void>; pause(): Promise<void> }[] = [];
  // After an error, a lost WebGPU device is marked in the chooser, so choosing WebGPU again recovers.
  const onError = (): void => {
    if (picker?.noteLostDevice()) {
      void Promise.all(panels.map((p) => p.pause()));
      status('The WebGPU device was lost: choose a backend to continue.');
    }
  };
  picker = new BackendPicker(async (name) => {
    clearError();
    await Promise.all(panels.map((p) => p.pause()));
    for (const panel of panels) await panel.restart();
    status(`Training on ${BACKEND_LABELS[name] ?? name}.`);
  });
  const [bytes, backend] = await Promise.all([fetchDigits(), picker.detect()]);
  const data = splitDigits(decodeDigits(bytes), TEST_SIZE, SPLIT_SEED);
  panels = [new MnistPanel(data, onError), new ToyPanel(onError)];
  for (const panel of panels) await panel.restart();
  status(`Training on ${BACKEND_LABELS[backend] ?? getBackend().name}.`);
}

main().catch((error: unknown) => {
  showError('The playground could not start', error);
  status('The playground could not start.');
});
