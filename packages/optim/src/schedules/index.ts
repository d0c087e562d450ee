// Learning-rate schedules: functions of the step count, usable as any optimiser's learning rate.
export { type TensorSchedule } from './arguments.js';
export { constantSchedule } from './constant.js';
export {
  type PolynomialScheduleOptions,
  linearSchedule,
  polynomialSchedule,
  warmupConstantSchedule,
} from './linear.js';
export {
  type CosineDecayScheduleOptions,
  type WarmupCosineDecayScheduleOptions,
  cosineDecaySchedule,
  warmupCosineDecaySchedule,
} from './cosine.js';
export { type ExponentialDecayOptions, exponentialDecay } from './exponential.js';
export {
  type BoundariesAndScales,
  type InterpolateType,
  piecewiseConstantSchedule,
  piecewiseInterpolateSchedule,
} from './piecewise.js';
export { joinSchedules } from './join.js';
export { type SgdrCycle, sgdrSchedule } from './sgdr.js';
export { type CosineOnecycleScheduleOptions, cosineOnecycleSchedule } from './onecycle.js';
