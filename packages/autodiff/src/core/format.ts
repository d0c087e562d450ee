/** Formats tensor values the way NumPy prints arrays, summarising large ones with `...`. */
import type { DataArray, DType } from '@equinox-ts/kernels';

const EDGE = 3; // elements kept at each end of a summarised dimension
const SUMMARY_THRESHOLD = 1000; // tensors with more elements are summarised

function formatNumber(value: number, dtype: DType): string {
  if (dtype === 'bool') return value ? 'true' : 'false';
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (dtype === 'int32') return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return `${value}.`;
  const text = String(Number(value.toPrecision(6)));
  if (text.includes('e')) return value.toExponential(4);
  // A value that rounds to an integer still prints as a float: -0.99999994 as `-1.`.
  return text.includes('.') ? text : `${text}.`;
}

/**
 * The values of a tensor as nested brackets, e.g. `[[1., 2.],\n [3., 4.]]`; `indent` is the column the
 * first bracket sits at, so continuation lines line up under it.
 */
export function formatValues(
  data: DataArray,
  shape: readonly number[],
  dtype: DType,
  indent: number,
): string {
  const summarise = data.length > SUMMARY_THRESHOLD;
  let strings: string[] = [];
  for (const v of data) strings.push(formatNumber(v, dtype));
  if (dtype === 'float32') strings = alignDecimalPoints(strings);
  const width = strings.reduce((w, s) => Math.max(w, s.length), 0);

  const render = (dim: number, offset: number, column: number): string => {
    if (dim === shape.length) return strings[offset]!.padStart(width);
    const n = shape[dim]!;
    const stride = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      if (summarise && n > 2 * EDGE && i === EDGE) {
        parts.push('...');
        i = n - EDGE - 1;
        continue;
      }
      parts.push(render(dim + 1, offset + i * stride, column + 1));
    }
    const last = dim === shape.length - 1;
    const separator = last
      ? ', '
      : ',' + '\n'.repeat(shape.length - dim - 1) + ' '.repeat(column + 1);
    return `[${parts.join(separator)}]`;
  };
  return render(0, 0, indent);
}

/**
 * Pads numbers so their decimal points line up, as NumPy prints `[1. , 2.5]`; `nan` and `inf` have no
 * decimal point and are only padded to the common width later.
 */
function alignDecimalPoints(strings: string[]): string[] {
  if (strings.some((s) => s.includes('e'))) return strings;
  const finite = (s: string): boolean => s.includes('.');
  const parts = strings.map((s) =>
    finite(s) ? [s.slice(0, s.indexOf('.')), s.slice(s.indexOf('.'))] : [s, ''],
  );
  const left = parts.reduce((w, [a, b]) => (b ? Math.max(w, a!.length) : w), 0);
  const right = parts.reduce((w, [, b]) => Math.max(w, b!.length), 0);
  return parts.map(([a, b]) => (b ? a!.padStart(left) + b.padEnd(right) : a!));
}
