/**
 * The checks of `vmap`'s and `filterVmap`'s options that need no arguments, made when the function is
 * wrapped so that a bad option fails where it is written. Whether the axes fit the arguments' ranks
 * and structures is checked at each call.
 */
import * as tree from '@equinox-ts/pytree';
import { TensorError, valueText } from '../core/errors.js';
import { requireOptions } from '../transform-arguments.js';

/** An axis tree's leaves: an axis, or `null` for "not mapped". */
export const isAxisLeaf = (x: unknown): boolean => x === null || typeof x === 'number';

/** Throws unless every leaf of `axes` (one axis, or a tree of them) is an integer or `null`. */
function checkAxisTree(op: string, name: string, axes: unknown, shape: string): void {
  if (isAxisLeaf(axes)) {
    if (axes !== null && !Number.isInteger(axes))
      throw new TensorError(
        op,
        `option ${name}: expected an integer axis or null, found ${valueText(axes)}`,
      );
    return;
  }
  const pairs = tree.leavesWithPath(axes, { isLeaf: isAxisLeaf });
  for (const [path, leaf] of pairs) {
    if (leaf === null || (typeof leaf === 'number' && Number.isInteger(leaf))) continue;
    throw new TensorError(
      op,
      `option ${name}: expected ${shape} whose leaves are integer axes or null, found ` +
        `${valueText(leaf)} at ${tree.keystr(path)}`,
    );
  }
}

/** Throws if an option of `vmap`/`filterVmap` is of the wrong kind. */
export function checkVmapOptions(op: string, options: unknown): void {
  requireOptions(op, options);
  const { inAxes, outAxes, axisSize, axisName } = (options ?? {}) as Record<string, unknown>;
  if (inAxes !== undefined) {
    if (!isAxisLeaf(inAxes) && !Array.isArray(inAxes)) {
      throw new TensorError(
        op,
        `option inAxes: expected an axis (an integer or null) or a list with one entry per argument, ` +
          `found ${valueText(inAxes)}`,
      );
    }
    checkAxisTree(op, 'inAxes', inAxes, 'a list');
  }
  if (outAxes !== undefined) checkAxisTree(op, 'outAxes', outAxes, 'a tree');
  if (axisSize !== undefined && !(Number.isInteger(axisSize) && (axisSize as number) >= 0)) {
    throw new TensorError(
      op,
      `option axisSize: expected a non-negative integer, found ${valueText(axisSize)}`,
    );
  }
  if (axisName !== undefined && (typeof axisName !== 'string' || axisName === '')) {
    throw new TensorError(
      op,
      `option axisName: expected a non-empty string, found ${valueText(axisName)}`,
    );
  }
}
