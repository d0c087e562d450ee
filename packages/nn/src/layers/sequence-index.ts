// The attention, positional and recurrent layers.
export {
  MultiheadAttention,
  type AttentionHeads,
  type MultiheadAttentionCallOptions,
  type MultiheadAttentionOptions,
} from './multihead-attention.js';
export {
  RotaryPositionalEmbedding,
  type RotaryPositionalEmbeddingOptions,
} from './rotary-embedding.js';
export { GRUCell, type GRUCellOptions } from './gru-cell.js';
export { LSTMCell, type LSTMCellOptions, type LSTMState } from './lstm-cell.js';
