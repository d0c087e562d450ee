/**
 * `einsum`: Einstein summation by transposes, reshapes, sums and batched matrix products. Operands are
 * contracted left to right, each pair as one `matmul` over the labels they share.
 */
import { TensorError, avalText, valueText } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import * as layout from '../primitives/layout.js';
import { cast } from '../primitives/elementwise.js';
import { reduce } from '../primitives/reduce.js';
import { matmul } from '../primitives/matmul.js';
import { asarrayFor, type ArrayLike } from './convert.js';
import { gatherDiagonal } from './index-helpers.js';

/** A tensor with one label per dimension. */
interface Labelled {
  readonly tensor: Tensor;
  readonly labels: readonly string[];
}

const LETTER = /^[a-zA-Z]$/;

/** Splits one term (`'ij'`, `'...k'`) into its letters, with `'...'` kept as one entry. */
function parseTerm(term: string, subscripts: string): string[] {
  const parts: string[] = [];
  for (let i = 0; i < term.length; i++) {
    if (term.startsWith('...', i)) {
      if (parts.includes('...'))
        throw new TensorError(
          'einsum',
          `more than one '...' in the term '${term}' of '${subscripts}'`,
        );
      parts.push('...');
      i += 2;
    } else if (LETTER.test(term[i]!)) {
      parts.push(term[i]!);
    } else {
      throw new TensorError(
        'einsum',
        `invalid character '${term[i]}' in '${subscripts}': expected letters, ',', '->' or '...'`,
      );
    }
  }
  return parts;
}

/** The label of the `i`-th of `count` broadcast (ellipsis) dimensions; never a letter. */
const ellipsisLabel = (i: number): string => `...${i}`;

/** Replaces `'...'` in `parts` by labels for `count` dimensions, right-aligned among `total`. */
function expandEllipsis(parts: readonly string[], count: number, total: number): string[] {
  const at = parts.indexOf('...');
  if (at < 0) return [...parts];
  const labels = Array.from({ length: count }, (_, i) => ellipsisLabel(total - count + i));
  return [...parts.slice(0, at), ...labels, ...parts.slice(at + 1)];
}

/** Takes the diagonal of two axes with one label, until every label of the operand is distinct. */
function takeDiagonals(op: Labelled): Labelled {
  let { tensor, labels } = op;
  for (;;) {
    const p = labels.findIndex((l, i) => labels.indexOf(l) !== i);
    if (p < 0) return { tensor, labels };
    const first = labels.indexOf(labels[p]!);
    const n = tensor.shape[first]!;
    if (tensor.shape[p] !== n) {
      throw new TensorError(
        'einsum',
        `the repeated label '${labels[p]}' has dimensions ${n} and ${tensor.shape[p]} in one operand`,
      );
    }
    const rest = labels.map((_, d) => d).filter((d) => d !== first && d !== p);
    tensor = gatherDiagonal(tensor, first, p);
    labels = [...rest.map((d) => labels[d]!), labels[p]!];
  }
}

/** Sums the dimensions whose labels are not in `keep`. */
function sumAllBut(op: Labelled, keep: ReadonlySet<string>): Labelled {
  const axes = op.labels.flatMap((l, d) => (keep.has(l) ? [] : [d]));
  return { tensor: reduce('sum', op.tensor, axes), labels: op.labels.filter((l) => keep.has(l)) };
}

/** Permutes (and merges into groups by reshaping) the dimensions of `op` in the order of `groups`. */
function arrange(
  op: Labelled,
  groups: readonly (readonly string[])[],
  sizes: ReadonlyMap<string, number>,
): Tensor {
  const order = groups.flat();
  const moved = layout.transpose(
    op.tensor,
    order.map((l) => op.labels.indexOf(l)),
  );
  return layout.reshape(
    moved,
    groups.map((g) => g.reduce((n, l) => n * sizes.get(l)!, 1)),
  );
}

/** Contracts two operands over their shared labels that nothing later needs; keeps the others. */
function contract(
  a: Labelled,
  b: Labelled,
  later: ReadonlySet<string>,
  sizes: ReadonlyMap<string, number>,
): Labelled {
  const shared = a.labels.filter((l) => b.labels.includes(l));
  const batch = shared.filter((l) => later.has(l));
  const summed = shared.filter((l) => !later.has(l));
  const freeA = a.labels.filter((l) => !shared.includes(l));
  const freeB = b.labels.filter((l) => !shared.includes(l));
  const left = arrange(a, [batch, freeA, summed], sizes);
  const right = arrange(b, [batch, summed, freeB], sizes);
  const labels = [...batch, ...freeA, ...freeB];
  return {
    tensor: layout.reshape(
      matmul(left, right),
      labels.map((l) => sizes.get(l)!),
    ),
    labels,
  };
}

/**
 * Einstein summation, as `jnp.einsum`: `'ij,jk->ik'` is a matrix product. Each operand's term names
 * its dimensions by letters; a letter repeated within one term takes a diagonal (`'ii->i'`, `'ii'`),
 * letters missing from the output are summed, and `'...'` stands for broadcast dimensions. Without
 * `'->'` the output is `'...'` then the letters used once, in alphabetical order. Dimensions of length
 * 1 broadcast against the same label's length elsewhere. The result is float32.
 *
 * @example
 * ```ts
 * const a = numpy.array([[1, 2], [3, 4]]);
 * numpy.einsum('ij,jk->ik', a, a).tolist(); // [[7, 10], [15, 22]]
 * numpy.einsum('ij->ji', a).tolist(); // [[1, 3], [2, 4]]
 * numpy.einsum('ii', a).item(); // 5
 * numpy.einsum('ij,ij->i', a, a).tolist(); // [5, 25]
 * numpy.einsum('bij,bjk->bik', numpy.ones([5, 2, 3]), numpy.ones([5, 3, 4])).shape; // [5, 2, 4]
 * numpy.einsum('...ij->...ji', numpy.ones([5, 2, 3])).shape; // [5, 3, 2]
 * ```
 */
export function einsum(subscripts: string, ...operands: ArrayLike[]): Tensor {
  if (typeof subscripts !== 'string')
    throw new TensorError('einsum', `subscripts must be a string, found ${valueText(subscripts)}`);
  const spec = subscripts.replace(/\s+/g, '');
  const arrow = spec.split('->');
  if (arrow.length > 2) throw new TensorError('einsum', `more than one '->' in '${subscripts}'`);
  const terms = arrow[0]!.split(',').map((t) => parseTerm(t, subscripts));
  if (terms.length !== operands.length) {
    throw new TensorError(
      'einsum',
      `'${subscripts}' names ${terms.length} operands, found ${operands.length}`,
    );
  }
  const tensors = operands.map((x) => cast(asarrayFor('einsum', x), 'float32'));

  // Labels for every dimension, with ellipsis dimensions right-aligned across operands.
  const ellipsisRanks = terms.map((parts, i) => {
    const letters = parts.filter((p) => p !== '...').length;
    const t = tensors[i]!;
    const extra = t.ndim - letters;
    if (extra < 0 || (extra > 0 && !parts.includes('...'))) {
      throw new TensorError(
        'einsum',
        `operand ${i} is ${avalText(t)} but its term '${parts.join('')}' names ${letters} dimensions`,
      );
    }
    return extra;
  });
  const ellipsis = Math.max(0, ...ellipsisRanks);
  const inputLabels = terms.map((parts, i) => expandEllipsis(parts, ellipsisRanks[i]!, ellipsis));

  // Each label's length; a length of 1 broadcasts against the others.
  const sizes = new Map<string, number>();
  inputLabels.forEach((labels, i) =>
    labels.forEach((l, d) => {
      const n = tensors[i]!.shape[d]!;
      const known = sizes.get(l);
      if (known !== undefined && known !== n && known !== 1 && n !== 1) {
        throw new TensorError(
          'einsum',
          `label '${l.startsWith('...') ? '...' : l}' has lengths ${known} and ${n}`,
        );
      }
      if (known === undefined || known === 1) sizes.set(l, n);
    }),
  );

  let output: string[];
  if (arrow.length === 2) {
    const parts = parseTerm(arrow[1]!, subscripts);
    output = expandEllipsis(parts, ellipsis, ellipsis);
    for (const l of output) {
      if (!sizes.has(l))
        throw new TensorError(
          'einsum',
          `output label '${l}' does not appear in any input of '${subscripts}'`,
        );
    }
    if (new Set(output).size !== output.length)
      throw new TensorError('einsum', `an output label is repeated in '${subscripts}'`);
  } else {
    const counts = new Map<string, number>();
    for (const l of inputLabels.flat()) if (LETTER.test(l)) counts.set(l, (counts.get(l) ?? 0) + 1);
    const once = [...counts]
      .filter(([, c]) => c === 1)
      .map(([l]) => l)
      .sort();
    output = [...Array.from({ length: ellipsis }, (_, i) => ellipsisLabel(i)), ...once];
  }

  // Per operand: broadcast length-1 dimensions, take diagonals, sum labels used nowhere else.
  const prepared = tensors.map((t, i) => {
    const labels = inputLabels[i]!;
    const full = labels.map((l) => sizes.get(l)!);
    const tensor = full.every((n, d) => n === t.shape[d]) ? t : layout.broadcastTo(t, full);
    const diagonal = takeDiagonals({ tensor, labels });
    const elsewhere = new Set([...output, ...inputLabels.filter((_, j) => j !== i).flat()]);
    return sumAllBut(diagonal, elsewhere);
  });

  let result = prepared[0]!;
  for (let i = 1; i < prepared.length; i++) {
    const later = new Set([...output, ...prepared.slice(i + 1).flatMap((p) => p.labels)]);
    result = contract(result, prepared[i]!, later, sizes);
  }
  result = sumAllBut(result, new Set(output));
  return layout.transpose(
    result.tensor,
    output.map((l) => result.labels.indexOf(l)),
  );
}
