/**
 * The drawing pad: draw a digit with a mouse, a pen or a finger (pointer events), or show a test digit.
 * It only collects ink; the panel turns the ink into a 28x28 image and asks the model.
 */
import { IMAGE_SIZE } from '../data/digits-file.js';

/** Stroke width as a fraction of the pad's width: about an MNIST pen stroke once scaled to 28 pixels. */
const STROKE = 1 / 14;

export class DrawingPad {
  private readonly context: CanvasRenderingContext2D;
  private drawing = false;
  private last: { x: number; y: number } | null = null;

  /** `onInk` is called after every change (strokes, clear, a shown digit). */
  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly onInk: () => void,
  ) {
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('DrawingPad: the canvas has no 2D context');
    this.context = context;
    canvas.addEventListener('pointerdown', (e) => this.down(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    canvas.addEventListener('pointerup', () => this.up());
    canvas.addEventListener('pointercancel', () => this.up());
    canvas.addEventListener('keydown', (e) => {
      if (e.key === 'Delete' || e.key === 'Backspace' || e.key === 'Escape') {
        e.preventDefault();
        this.clear();
      }
    });
  }

  /** The ink: one alpha value (0–255) per canvas pixel, row by row. */
  ink(): { alpha: Uint8ClampedArray; width: number; height: number } {
    const { width, height } = this.canvas;
    const rgba = this.context.getImageData(0, 0, width, height).data;
    const alpha = new Uint8ClampedArray(width * height);
    for (let i = 0; i < alpha.length; i++) alpha[i] = rgba[4 * i + 3]!;
    return { alpha, width, height };
  }

  clear(): void {
    this.context.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.onInk();
  }

  /** Shows a 28x28 image (pixels in [0, 1]) scaled up to fill the pad. */
  showDigit(pixels: Float32Array): void {
    const small = document.createElement('canvas');
    small.width = 28;
    small.height = 28;
    const image = new ImageData(28, 28);
    for (let i = 0; i < IMAGE_SIZE; i++)
      image.data.set([255, 255, 255, Math.round(255 * pixels[i]!)], 4 * i);
    small.getContext('2d')!.putImageData(image, 0, 0);
    this.context.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.context.imageSmoothingEnabled = true;
    this.context.drawImage(small, 0, 0, this.canvas.width, this.canvas.height);
    this.onInk();
  }

  private point(e: PointerEvent): { x: number; y: number } {
    const box = this.canvas.getBoundingClientRect();
    return {
      x: ((e.clientX - box.left) * this.canvas.width) / box.width,
      y: ((e.clientY - box.top) * this.canvas.height) / box.height,
    };
  }

  private down(e: PointerEvent): void {
    e.preventDefault();
    this.canvas.setPointerCapture(e.pointerId);
    this.drawing = true;
    this.last = this.point(e);
    this.stroke([this.last]);
  }

  private move(e: PointerEvent): void {
    if (!this.drawing) return;
    // Coalesced events: the points the browser merged into this one, for smooth fast strokes.
    const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    this.stroke((events.length > 0 ? events : [e]).map((event) => this.point(event)));
  }

  private up(): void {
    this.drawing = false;
    this.last = null;
  }

  private stroke(points: { x: number; y: number }[]): void {
    const c = this.context;
    c.strokeStyle = '#fff';
    c.fillStyle = '#fff';
    c.lineWidth = this.canvas.width * STROKE;
    c.lineCap = 'round';
    c.lineJoin = 'round';
    c.beginPath();
    const start = this.last ?? points[0]!;
    c.moveTo(start.x, start.y);
    for (const p of points) c.lineTo(p.x, p.y);
    // A click without movement still leaves a dot.
    if (points.length === 1 && start === points[0]) c.lineTo(start.x + 0.01, start.y);
    c.stroke();
    this.last = points[points.length - 1]!;
    this.onInk();
  }
}
