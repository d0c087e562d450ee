// autodiff's finite-difference checker, shared: it loads the same autodiff sources as these tests.
export {
  type CheckOptions,
  checkGrads,
  randomSource,
  randomTensor,
} from '../../../autodiff/test/helpers/check-grads.js';
