/**
 * Equinox's `eqx.debug` helpers for seeing when `jit` retraces.
 *
 * @packageDocumentation
 */
export { assertMaxTraces, getNumTraces } from './debug.js';
export * from '../debug/memory.js';
export * from '../debug/nans.js';
