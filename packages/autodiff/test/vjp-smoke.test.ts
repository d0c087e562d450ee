import { numpy } from '../src/index.js';
import { checkGrads, randomSource, randomTensor } from './helpers/check-grads.js';
test('check-grads catches a wrong rule and passes right ones', () => {
  const r = randomSource(1);
  const x = randomTensor([3, 4], r);
  checkGrads((a) => numpy.tanh(a).mul(a), [x], { order: 2 });
  checkGrads((a, b) => numpy.matmul(a, b), [x, randomTensor([4, 2], r)], { order: 2 });
  expect(() => checkGrads((a) => numpy.floor(a.mul(100)), [x])).toThrow(/gradient check failed/);
});
