// Classes and helpers shared by the test files. Registration is global, and jest loads this module afresh
// for each test file, so each file registers these classes once.
import * as tree from '../src/index.js';
import { GetAttrKey } from '../src/index.js';

/** A class registered without keys: paths through it read `[<flat index i>]`. */
export class Point {
  constructor(
    readonly x: unknown,
    readonly y: unknown,
  ) {}
}
tree.registerPytreeNode(
  Point,
  (p) => [[p.x, p.y], null],
  (_aux, [x, y]) => new Point(x, y),
);

/** The same with keys: paths through it read `.x`, `.y`. */
export class KeyedPoint {
  constructor(
    readonly x: unknown,
    readonly y: unknown,
  ) {}
}
tree.registerPytreeWithKeys(
  KeyedPoint,
  (p) => [
    [
      [new GetAttrKey('x'), p.x],
      [new GetAttrKey('y'), p.y],
    ],
    null,
  ],
  (_aux, [x, y]) => new KeyedPoint(x, y),
);

/** The error `f` throws; fails the test if it throws nothing. */
export function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}
