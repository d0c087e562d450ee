// The backends every numeric test runs on: autodiff's list, so a new backend joins every package's tests.
export {
  BACKENDS,
  type BackendEntry,
  useBackend,
} from '../../../autodiff/test/helpers/backends.js';
