// The trees the checkpoint kill test saves, shared by the test and the child process it kills, so both
// build the same bytes: a small checkpoint A, and a checkpoint B large enough (32 MB) that writing it
// takes long enough to be killed part way through.
import { type Tensor, numpy } from '@equinox-ts/autodiff';
// The serialisation modules alone: the child process compiles less TypeScript than the whole package.
import { saveSafetensors, treeSerialiseLeaves } from '../../src/serialise/index.js';

/** The two file formats that write a path atomically, by the name the child process is given. */
export const SAVERS = {
  safetensors: (path: string, tree: unknown) => saveSafetensors(path, tree),
  leaves: (path: string, tree: unknown) => treeSerialiseLeaves(path, tree),
} as const;

export type Format = keyof typeof SAVERS;

/** Checkpoint A: small, with values that B never has. */
export function smallTree(): { weight: Tensor; bias: Tensor } {
  return {
    weight: numpy.array([
      [1.5, -2],
      [0.25, 3],
    ]),
    bias: numpy.array([-7, 11]),
  };
}

const LEAF_COUNT = 4;
const LEAF_SIZE = 2_000_000; // 4 leaves of 8 MB each

/** Checkpoint B: the same structure as A plus large leaves, its values a fixed function of the index. */
export function largeTree(): Record<string, Tensor> {
  const tree: Record<string, Tensor> = { ...smallTree() };
  for (let leaf = 0; leaf < LEAF_COUNT; leaf++) {
    const values = new Float32Array(LEAF_SIZE);
    for (let i = 0; i < LEAF_SIZE; i++) values[i] = Math.sin(i + leaf * LEAF_SIZE);
    tree[`big${leaf}`] = numpy.array(values);
  }
  return tree;
}
