/**
 * Equinox's `eqx.debug` helpers for seeing when `jit` retraces.
 *
 * @packageDocumentation
 */
export { assertMaxTraces, getNumTraces } from './debug.js';
