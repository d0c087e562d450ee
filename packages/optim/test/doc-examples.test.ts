// Every ```ts example in this package's TSDoc comments and README runs, and the values it claims hold.
// Examples use this package's exports, autodiff's and pytree's (as `tree`) bare.
import { join } from 'node:path';
import * as autodiff from '@equinox-ts/autodiff';
import { describeDocExamples } from '@equinox-ts/doc-examples';
import * as tree from '@equinox-ts/pytree';
import * as optim from '../src/index.js';

describeDocExamples({
  root: join(__dirname, '..'),
  namespace: { ...autodiff, tree, ...optim },
  namespaceName: 'optim',
  minClaims: 40,
});
