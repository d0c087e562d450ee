/**
 * Reference convolution by its definition, and its two backward kernels as the adjoint of that same
 * definition: loop over every (output, tap) pair of the forward pass and accumulate. Spatial dimensions
 * are padded to three (size 1) so one loop nest serves 1D, 2D and 3D.
 */
import { fromFn, type Ref } from './ndarray.js';
import { windowGeometry, type RefPadding } from './window.js';

export interface ConvRefOptions {
  strides?: readonly number[];
  padding?: RefPadding;
  dilation?: readonly number[];
  groups?: number;
}

/** Calls `visit(xFlat, wFlat, yFlat)` for every multiply of the forward convolution. */
function forEachTap(
  xShape: readonly number[],
  wShape: readonly number[],
  options: ConvRefOptions,
  visit: (xAt: number, wAt: number, yAt: number) => void,
): number[] {
  const nd = xShape.length - 2;
  const ones = new Array<number>(nd).fill(1);
  const strides = options.strides ?? ones;
  const dilation = options.dilation ?? ones;
  const groups = options.groups ?? 1;
  const geo = windowGeometry(xShape.slice(2), wShape.slice(2), strides, dilation, options.padding);
  const [batch, cIn] = xShape as [number, number];
  const cOut = wShape[0]!;
  const cInG = cIn / groups;
  const cOutG = cOut / groups;
  // Pad every per-dimension list to three spatial dimensions, leading.
  const three = (v: readonly number[], fill: number) => [
    ...new Array<number>(3 - nd).fill(fill),
    ...v,
  ];
  const [ID, IH, IW] = three(xShape.slice(2), 1) as [number, number, number];
  const [KD, KH, KW] = three(wShape.slice(2), 1) as [number, number, number];
  const [OD, OH, OW] = three(geo.out, 1) as [number, number, number];
  const [SD, SH, SW] = three(strides, 1) as [number, number, number];
  const [DD, DH, DW] = three(dilation, 1) as [number, number, number];
  const [PD, PH, PW] = three(geo.padLo, 0) as [number, number, number];
  for (let n = 0; n < batch; n++)
    for (let oc = 0; oc < cOut; oc++) {
      const g = Math.floor(oc / cOutG);
      for (let od = 0; od < OD; od++)
        for (let oh = 0; oh < OH; oh++)
          for (let ow = 0; ow < OW; ow++) {
            const yAt = (((n * cOut + oc) * OD + od) * OH + oh) * OW + ow;
            for (let icg = 0; icg < cInG; icg++) {
              const ic = g * cInG + icg;
              for (let kd = 0; kd < KD; kd++) {
                const id = od * SD - PD + kd * DD;
                if (id < 0 || id >= ID) continue;
                for (let kh = 0; kh < KH; kh++) {
                  const ih = oh * SH - PH + kh * DH;
                  if (ih < 0 || ih >= IH) continue;
                  for (let kw = 0; kw < KW; kw++) {
                    const iw = ow * SW - PW + kw * DW;
                    if (iw < 0 || iw >= IW) continue;
                    const xAt = (((n * cIn + ic) * ID + id) * IH + ih) * IW + iw;
                    const wAt = (((oc * cInG + icg) * KD + kd) * KH + kh) * KW + kw;
                    visit(xAt, wAt, yAt);
                  }
                }
              }
            }
          }
    }
  return [batch, cOut, ...geo.out];
}

/** The output shape of a convolution, by the reference geometry. */
export function convShapeRef(
  xShape: readonly number[],
  wShape: readonly number[],
  options: ConvRefOptions = {},
): number[] {
  return forEachTap(xShape, wShape, options, () => undefined);
}

export function convRef(x: Ref, w: Ref, options: ConvRefOptions = {}): Ref {
  const shape = convShapeRef(x.shape, w.shape, options);
  const y = new Float64Array(shape.reduce((a, b) => a * b, 1));
  forEachTap(
    x.shape,
    w.shape,
    options,
    (xi, wi, yi) => (y[yi] = y[yi]! + x.data[xi]! * w.data[wi]!),
  );
  return fromFn(shape, 'float32', (_i, flat) => y[flat]!);
}

export function convBackwardInputRef(
  dy: Ref,
  w: Ref,
  xShape: readonly number[],
  options: ConvRefOptions = {},
): Ref {
  const dx = new Float64Array(xShape.reduce((a, b) => a * b, 1));
  forEachTap(
    xShape,
    w.shape,
    options,
    (xi, wi, yi) => (dx[xi] = dx[xi]! + dy.data[yi]! * w.data[wi]!),
  );
  return fromFn(xShape, 'float32', (_i, flat) => dx[flat]!);
}

export function convBackwardFilterRef(
  x: Ref,
  dy: Ref,
  wShape: readonly number[],
  options: ConvRefOptions = {},
): Ref {
  const dw = new Float64Array(wShape.reduce((a, b) => a * b, 1));
  forEachTap(
    x.shape,
    wShape,
    options,
    (xi, wi, yi) => (dw[wi] = dw[wi]! + x.data[xi]! * dy.data[yi]!),
  );
  return fromFn(wShape, 'float32', (_i, flat) => dw[flat]!);
}
