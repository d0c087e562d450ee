/** Argument checks shared by the losses: tensors of the right dtype, matching shapes, loss axes. */
import { Tensor, TensorError, numpy } from '@equinox-ts/autodiff';

type DType = Tensor['dtype'];

const shapeText = (shape: readonly number[]): string => `[${shape.join(', ')}]`;
const avalText = (t: Tensor): string => `${t.dtype}${shapeText(t.shape)}`;

/** `value` itself, if it is a tensor of one of `dtypes`; otherwise a TensorError naming `name`. */
export function tensorArg(
  op: string,
  name: string,
  value: unknown,
  dtypes: readonly DType[],
  hint = '',
): Tensor {
  if (!(value instanceof Tensor)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    throw new TensorError(op, `\`${name}\` must be a tensor, found ${kind}`);
  }
  if (!dtypes.includes(value.dtype)) {
    throw new TensorError(
      op,
      `\`${name}\` must be ${dtypes.join(' or ')}, found ${avalText(value)}${hint}`,
    );
  }
  return value;
}

/** Throws unless `b` has exactly `a`'s shape (the regression losses never broadcast, as Optax's). */
export function checkSameShape(
  op: string,
  a: Tensor,
  aName: string,
  b: Tensor,
  bName: string,
): void {
  const same = a.ndim === b.ndim && a.shape.every((n, d) => n === b.shape[d]);
  if (!same) {
    throw new TensorError(
      op,
      `\`${bName}\` must have the shape of \`${aName}\` ${shapeText(a.shape)}, found ${shapeText(b.shape)}`,
    );
  }
}

/** Throws unless `labels` broadcasts to `logits`'s shape without growing it. */
export function checkBroadcastsTo(op: string, logits: Tensor, labels: Tensor): void {
  let fits = labels.ndim <= logits.ndim;
  if (fits) {
    try {
      const shape = numpy.broadcastShapes(logits.shape, labels.shape);
      fits = shape.every((n, d) => n === logits.shape[d]);
    } catch {
      fits = false;
    }
  }
  if (!fits) {
    throw new TensorError(
      op,
      `\`labels\` ${shapeText(labels.shape)} must broadcast to the shape of \`logits\` ${shapeText(logits.shape)}`,
    );
  }
}

/** The loss axes, `axis` (one or several, negative counting from the end) made non-negative. */
export function lossAxes(
  op: string,
  axis: number | readonly number[] | undefined,
  ndim: number,
): number[] {
  const given = axis === undefined ? [-1] : typeof axis === 'number' ? [axis] : [...axis];
  const axes = given.map((a) => {
    if (!Number.isInteger(a) || a < -ndim || a >= ndim) {
      throw new TensorError(
        op,
        `\`axis\` ${String(a)} is out of range for an array of ${ndim} dimensions`,
      );
    }
    return a < 0 ? a + ndim : a;
  });
  if (axes.length === 0 || new Set(axes).size !== axes.length) {
    throw new TensorError(
      op,
      `\`axis\` must name one or more distinct axes, found ${shapeText(given)}`,
    );
  }
  return axes;
}

/** Throws unless `value` is a finite number at least `min` (or above it, when `strict`). */
export function checkNumber(
  op: string,
  name: string,
  value: unknown,
  min: number,
  strict: boolean,
): number {
  const ok =
    typeof value === 'number' && Number.isFinite(value) && (strict ? value > min : value >= min);
  if (!ok) {
    throw new TensorError(
      op,
      `\`${name}\` must be a finite number ${strict ? '>' : '>='} ${min}, found ${String(value)}`,
    );
  }
  return value;
}
