/**
 * The backends every numeric test of this package runs on. A backend joins all of them by adding one
 * entry here (the WebGPU and gpu.js backends will, when `@equinox-ts/kernels` has them).
 *
 * Use it as:
 *   describe.each(BACKENDS)('on $name', (entry) => { useBackend(entry); test(...) });
 */
import { cpu, type Backend } from '@equinox-ts/kernels';
import { getDefaultBackend, setDefaultBackend } from '../../src/index.js';

export interface BackendEntry {
  readonly name: string;
  readonly backend: () => Backend;
  /** Relative tolerance for float32 results on this backend. */
  readonly rtol: number;
}

export const BACKENDS: readonly BackendEntry[] = [{ name: 'cpu', backend: () => cpu, rtol: 1e-5 }];

/** Makes `entry`'s backend the default for the tests of the enclosing describe block. */
export function useBackend(entry: BackendEntry): void {
  let previous: Backend;
  beforeAll(() => {
    previous = getDefaultBackend();
    setDefaultBackend(entry.backend());
  });
  afterAll(() => setDefaultBackend(previous));
}
