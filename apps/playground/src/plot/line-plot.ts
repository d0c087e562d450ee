/**
 * A line plot on a canvas, for the training curves: the raw series faint, its smoothed version solid,
 * axes with round ticks. It keeps itself sharp (canvas pixels = CSS pixels x devicePixelRatio, redrawn
 * when the canvas is resized) and draws at most once a frame however often the series changes. Colours
 * come from CSS custom properties on the canvas, so the page's light and dark themes style it.
 */
import { ema, niceTicks, thin } from './scale.js';

/** One point of a series. */
export interface Point {
  x: number;
  y: number;
}

/** What a {@link LinePlot} shows and how. */
export interface LinePlotOptions {
  /** The x axis's title, e.g. "step". */
  xLabel: string;
  /** The y axis's title, e.g. "loss". */
  yLabel: string;
  /** How a y tick is written, e.g. as a percentage. */
  format(y: number): string;
  /** The bottom of the y axis; by default a round value at or below the data. */
  yMin?: number;
  /** The top of the y axis; by default a round value at or above the data. */
  yMax?: number;
  /** The smoothing of the solid line, in [0, 1) (see `ema`); 0, the default, draws the raw series solid. */
  smoothing?: number;
}

// Drawing more points than a canvas is wide only costs time.
const MAX_DRAWN_POINTS = 500;
const FONT_SIZE = 12;
const TICK_COUNT = 5;
// Room around the plotting area, in CSS pixels.
const MARGIN = { top: 10, right: 14, bottom: 36, left: 10 };

/** The CSS custom properties read, with the colour used where the page sets none. */
const COLOURS = {
  line: ['--plot-line', '#3b6fd8'],
  raw: ['--plot-raw', 'rgba(59, 111, 216, 0.3)'],
  grid: ['--plot-grid', 'rgba(128, 128, 128, 0.25)'],
  text: ['--plot-text', '#808080'],
} as const;

type Colours = Record<keyof typeof COLOURS, string>;

/**
 * A line plot drawn on `canvas`.
 *
 * @example
 * ```ts
 * const plot = new LinePlot(canvas, { xLabel: 'step', yLabel: 'loss', format: (y) => y.toFixed(2), smoothing: 0.9 });
 * plot.setPoints(losses.map((y, x) => ({ x, y })));
 * ```
 */
export class LinePlot {
  readonly #canvas: HTMLCanvasElement;
  readonly #options: LinePlotOptions;
  #points: readonly Point[] = [];
  #pendingFrame: number | undefined;

  constructor(canvas: HTMLCanvasElement, options: LinePlotOptions) {
    this.#canvas = canvas;
    this.#options = options;
    new ResizeObserver(() => this.#requestDraw()).observe(canvas);
    this.#requestDraw();
  }

  /** Shows `points` (in x order) from the next frame on. */
  setPoints(points: readonly Point[]): void {
    this.#points = points;
    this.#requestDraw();
  }

  /** Empties the plot: axes and "no data yet". */
  clear(): void {
    this.setPoints([]);
  }

  // Many updates within a frame draw once.
  #requestDraw(): void {
    if (this.#pendingFrame !== undefined) return;
    this.#pendingFrame = requestAnimationFrame(() => {
      this.#pendingFrame = undefined;
      this.#draw();
    });
  }

  #draw(): void {
    const canvas = this.#canvas;
    const cssWidth = canvas.clientWidth;
    const cssHeight = canvas.clientHeight;
    const context = canvas.getContext('2d');
    // A hidden canvas has no size; the resize observer draws it once it is shown.
    if (context === null || cssWidth === 0 || cssHeight === 0) return;
    const ratio = window.devicePixelRatio || 1;
    const pixelWidth = Math.round(cssWidth * ratio);
    const pixelHeight = Math.round(cssHeight * ratio);
    // Setting the size clears the canvas and its state, so only when it changed.
    if (canvas.width !== pixelWidth || canvas.height !== pixelHeight) {
      canvas.width = pixelWidth;
      canvas.height = pixelHeight;
    }
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, cssWidth, cssHeight);

    const style = getComputedStyle(canvas);
    const colours = readColours(style);
    context.font = `${FONT_SIZE}px ${style.fontFamily || 'system-ui, sans-serif'}`;

    const points = this.#points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
    const smoothing = this.#options.smoothing ?? 0;
    const smoothed = smoothing > 0 ? smoothedPoints(points, smoothing) : undefined;
    const frame = this.#drawAxes(context, points, cssWidth, cssHeight, colours);

    context.save();
    context.beginPath();
    // A little beyond the frame, so a line along its edge (100% accuracy) is not cut in half.
    context.rect(frame.left, frame.top - 2, frame.width + 2, frame.height + 4);
    context.clip();
    if (points.length === 0) {
      context.fillStyle = colours.text;
      context.textAlign = 'center';
      context.textBaseline = 'middle';
      context.fillText('no data yet', frame.left + frame.width / 2, frame.top + frame.height / 2);
    } else if (smoothed === undefined) {
      drawSeries(context, frame, thin(points, MAX_DRAWN_POINTS), colours.line, 2);
    } else {
      drawSeries(context, frame, thin(points, MAX_DRAWN_POINTS), colours.raw, 1);
      drawSeries(context, frame, thin(smoothed, MAX_DRAWN_POINTS), colours.line, 2);
    }
    context.restore();
  }

  // Draws the grid, the ticks and the titles, and returns where the data goes.
  #drawAxes(
    context: CanvasRenderingContext2D,
    points: readonly Point[],
    cssWidth: number,
    cssHeight: number,
    colours: Colours,
  ): Frame {
    const { format, xLabel, yLabel } = this.#options;
    const [xLow, xHigh] = points.length > 0 ? extent(points.map((p) => p.x)) : [0, 1];
    const [dataLow, dataHigh] = points.length > 0 ? extent(points.map((p) => p.y)) : [0, 1];
    const yFixedLow = this.#options.yMin;
    const yFixedHigh = this.#options.yMax;
    const yTicksAll = niceTicks(
      Math.min(yFixedLow ?? dataLow, yFixedHigh ?? dataHigh),
      Math.max(yFixedHigh ?? dataHigh, yFixedLow ?? dataLow),
      TICK_COUNT,
    );
    // Without fixed bounds the axis ends on round ticks; with them, exactly at the bounds.
    const yLow = yFixedLow ?? yTicksAll[0]!;
    const yHigh = yFixedHigh ?? yTicksAll.at(-1)!;
    const yTicks = yTicksAll.filter((t) => t >= yLow && t <= yHigh);
    // The x axis spans the data exactly: a curve that stops short of the edge looks unfinished.
    // x is a step count here, so only whole numbers are labelled.
    const xTicks = niceTicks(xLow, xHigh, TICK_COUNT).filter(
      (t) => t >= xLow && t <= xHigh && Number.isInteger(t),
    );
    const xSpan = xHigh > xLow ? [xLow, xHigh] : [xLow - 0.5, xHigh + 0.5];

    const yTickLabels = yTicks.map((t) => format(t));
    const tickWidth = Math.max(0, ...yTickLabels.map((text) => context.measureText(text).width));
    const left = MARGIN.left + FONT_SIZE + 6 + tickWidth + 6;
    const frame: Frame = {
      left,
      top: MARGIN.top,
      width: Math.max(1, cssWidth - left - MARGIN.right),
      height: Math.max(1, cssHeight - MARGIN.top - MARGIN.bottom),
      x: [xSpan[0]!, xSpan[1]!],
      y: yHigh > yLow ? [yLow, yHigh] : [yLow - 0.5, yHigh + 0.5],
    };

    context.lineWidth = 1;
    context.strokeStyle = colours.grid;
    context.fillStyle = colours.text;
    // Horizontal grid lines with the y ticks left of them.
    context.textAlign = 'right';
    context.textBaseline = 'middle';
    context.beginPath();
    yTicks.forEach((tick, i) => {
      const y = Math.round(toY(frame, tick)) + 0.5;
      context.moveTo(frame.left, y);
      context.lineTo(frame.left + frame.width, y);
      context.fillText(yTickLabels[i]!, frame.left - 6, y);
    });
    // The x axis and its ticks.
    const bottom = frame.top + frame.height;
    context.moveTo(frame.left, Math.round(bottom) + 0.5);
    context.lineTo(frame.left + frame.width, Math.round(bottom) + 0.5);
    context.textAlign = 'center';
    context.textBaseline = 'top';
    for (const tick of xTicks) {
      const x = Math.round(toX(frame, tick)) + 0.5;
      context.moveTo(x, bottom);
      context.lineTo(x, bottom + 4);
      context.fillText(formatX(tick), x, bottom + 6);
    }
    context.stroke();
    // The titles: x centred under the ticks, y turned up along the left edge.
    context.textBaseline = 'bottom';
    context.fillText(xLabel, frame.left + frame.width / 2, cssHeight - 2);
    context.save();
    context.translate(MARGIN.left, frame.top + frame.height / 2);
    context.rotate(-Math.PI / 2);
    context.textBaseline = 'middle';
    context.fillText(yLabel, 0, 0);
    context.restore();
    return frame;
  }
}

/** The plotting area in CSS pixels and the data ranges it shows. */
interface Frame {
  left: number;
  top: number;
  width: number;
  height: number;
  x: [number, number];
  y: [number, number];
}

const toX = (frame: Frame, x: number): number =>
  frame.left + ((x - frame.x[0]) / (frame.x[1] - frame.x[0])) * frame.width;
const toY = (frame: Frame, y: number): number =>
  frame.top + (1 - (y - frame.y[0]) / (frame.y[1] - frame.y[0])) * frame.height;

// A single point is drawn as a dot, so a series of one still shows.
function drawSeries(
  context: CanvasRenderingContext2D,
  frame: Frame,
  points: readonly Point[],
  colour: string,
  lineWidth: number,
): void {
  context.strokeStyle = colour;
  context.fillStyle = colour;
  context.lineWidth = lineWidth;
  context.lineJoin = 'round';
  if (points.length === 1) {
    context.beginPath();
    context.arc(toX(frame, points[0]!.x), toY(frame, points[0]!.y), lineWidth + 1, 0, 2 * Math.PI);
    context.fill();
    return;
  }
  context.beginPath();
  points.forEach((p, i) => {
    if (i === 0) context.moveTo(toX(frame, p.x), toY(frame, p.y));
    else context.lineTo(toX(frame, p.x), toY(frame, p.y));
  });
  context.stroke();
}

// The series smoothed over all its points (before thinning, so thinning does not change the curve).
function smoothedPoints(points: readonly Point[], smoothing: number): Point[] {
  const ys = ema(
    points.map((p) => p.y),
    smoothing,
  );
  return points.map((p, i) => ({ x: p.x, y: ys[i]! }));
}

function extent(values: readonly number[]): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const value of values) {
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  return [low, high];
}

// Steps and epochs: whole numbers, shortened past ten thousand (12k).
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const formatX = (x: number): string => (Math.abs(x) >= 10_000 ? compact.format(x) : String(x));

function readColours(style: CSSStyleDeclaration): Colours {
  const read = ([property, fallback]: readonly [string, string]): string =>
    style.getPropertyValue(property).trim() || fallback;
  return {
    line: read(COLOURS.line),
    raw: read(COLOURS.raw),
    grid: read(COLOURS.grid),
    text: read(COLOURS.text),
  };
}
