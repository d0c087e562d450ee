// Serialisation: Equinox's leaf format (NPY records) and safetensors.
export {
  deserialiseLeaves,
  serialiseLeaves,
  treeDeserialiseLeaves,
  treeSerialiseLeaves,
} from './leaves.js';
export {
  encodeSafetensors,
  saveSafetensors,
  type SaveSafetensorsOptions,
} from './safetensors-save.js';
export {
  decodeSafetensors,
  loadSafetensors,
  type LoadSafetensorsOptions,
} from './safetensors-load.js';
export {
  decodeSafetensorsHeader,
  loadSafetensorsHeader,
  type SafetensorsEntry,
  type SafetensorsHeader,
} from './safetensors-header.js';
export { type BlobLike, type ByteSink, type ByteSource } from './io.js';
