// Every ```ts example in this package's TSDoc comments and README runs, and the values it claims hold.
import { join } from 'node:path';
import { describeDocExamples } from '@equinox-ts/doc-examples';
import * as pytree from '../src/index.js';

describeDocExamples({
  root: join(__dirname, '..'),
  namespace: pytree,
  namespaceName: 'tree',
  // Its examples only show a type annotation, so there is no value to claim.
  typeOnly: ['src/options.ts'],
  // Some examples use the `Point` class of registerPytreeNode's example without declaring it.
  prelude: (source) =>
    /\bPoint\b/.test(source) && !/\bclass Point\b/.test(source)
      ? `class Point { constructor(readonly x: number, readonly y: number) {} }
registerPytreeNode(Point, (p) => [[p.x, p.y], null], (_aux, [x, y]) => new Point(x as number, y as number));
${source}`
      : source,
  minClaims: 40,
});
