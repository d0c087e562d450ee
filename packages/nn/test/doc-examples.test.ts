// Every ```ts example in this package's TSDoc comments and README runs, and the values it claims hold.
// Examples use this package's exports, autodiff's (with jax.nn as `jnn`) and pytree's (as `tree`) bare.
import { join } from 'node:path';
import * as autodiff from '@equinox-ts/autodiff';
import { describeDocExamples } from '@equinox-ts/doc-examples';
import * as tree from '@equinox-ts/pytree';
import * as nn from '../src/index.js';

const { nn: jnn, ...rest } = autodiff;

describeDocExamples({
  root: join(__dirname, '..'),
  namespace: { ...rest, jnn, tree, ...nn },
  namespaceName: 'eqx',
  minClaims: 40,
});
