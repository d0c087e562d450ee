// The wrapper layers: tied weights, weight normalisation, spectral normalisation.
export { Shared } from './shared.js';
export { WeightNorm, type WeightNormOptions, type WeightedLayer } from './weight-norm.js';
export {
  SpectralNorm,
  type SpectralNormOptions,
  type SpectralNormCallOptions,
} from './spectral-norm.js';
