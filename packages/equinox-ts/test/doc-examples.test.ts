// Every ```ts example in this package's TSDoc comments and README runs, and the values it claims hold.
// Examples see the umbrella's exports bare and as `eqx`.
import { join } from 'node:path';
import { describeDocExamples } from '@equinox-ts/doc-examples';
import * as eqx from '../src/index.js';

describeDocExamples({
  root: join(__dirname, '..'),
  namespace: eqx,
  namespaceName: 'eqx',
  minClaims: 10,
});
