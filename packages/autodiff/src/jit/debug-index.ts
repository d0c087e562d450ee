/**
 * Debugging helpers, in Equinox's `eqx.debug` and JAX's spirit: count and limit `jit` retracing
 * (`assertMaxTraces`, `getNumTraces`), stop at the first NaN or infinity and name the primitive that
 * made it (`checkNaN`, `NaNError`), and watch memory: live tensors and bytes per backend (`memory`,
 * `countMemory`) and which tensors a piece of code leaves alive (`trackTensors`).
 *
 * @packageDocumentation
 */
export { assertMaxTraces, getNumTraces } from './debug.js';
export * from '../debug/memory.js';
export * from '../debug/nans.js';
