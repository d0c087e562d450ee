// Every ```ts example in this package's TSDoc comments and README runs, and the values it claims hold.
import { join } from 'node:path';
import { describeDocExamples } from '@equinox-ts/doc-examples';
import * as autodiff from '../src/index.js';

describeDocExamples({
  root: join(__dirname, '..'),
  namespace: autodiff,
  namespaceName: 'autodiff',
  minClaims: 100,
});
