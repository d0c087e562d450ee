/** The grid of test digits under the plots: each digit, its predicted class, wrong ones highlighted. */
import { type Digits, IMAGE_SIZE } from '../data/digits-file.js';
import { setText } from '../ui/dom.js';
import { article } from './probabilities.js';

/** How many test digits the grid shows. */
export const GRID_SIZE = 48;

/** Paints a 28x28 image of pixels in [0, 1] (white ink on transparent) into a 28x28 canvas. */
export function paintDigit(canvas: HTMLCanvasElement, pixels: Float32Array): void {
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.createImageData(28, 28);
  for (let i = 0; i < IMAGE_SIZE; i++) {
    image.data.set([255, 255, 255, Math.round(255 * pixels[i]!)], 4 * i);
  }
  context.putImageData(image, 0, 0);
}

export class DigitGrid {
  private readonly items: HTMLLIElement[] = [];

  /** Fills `list` with the first {@link GRID_SIZE} digits of `test`, not yet predicted. */
  constructor(
    list: HTMLUListElement,
    private readonly test: Digits,
  ) {
    const count = Math.min(GRID_SIZE, test.labels.length);
    for (let i = 0; i < count; i++) {
      const item = document.createElement('li');
      item.className = 'digit';
      item.dataset.label = String(test.labels[i]);
      const canvas = document.createElement('canvas');
      canvas.width = 28;
      canvas.height = 28;
      canvas.setAttribute('aria-hidden', 'true');
      paintDigit(canvas, test.images.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE));
      const caption = document.createElement('span');
      caption.className = 'digit-caption';
      item.append(canvas, caption);
      this.items.push(item);
    }
    list.replaceChildren(...this.items);
    this.show(null);
  }

  /** Shows each digit's predicted class (`predicted[i]` for test digit i), or none before any. */
  show(predicted: Int32Array | null): void {
    this.items.forEach((item, i) => {
      const label = this.test.labels[i]!;
      const caption = item.lastElementChild!;
      if (predicted === null) {
        delete item.dataset.predicted;
        item.classList.remove('wrong');
        setText(caption, '?');
        item.setAttribute('aria-label', `${article(label)} ${label}, not predicted yet`);
        return;
      }
      const guess = predicted[i]!;
      const wrong = guess !== label;
      item.dataset.predicted = String(guess);
      item.classList.toggle('wrong', wrong);
      setText(caption, wrong ? `${guess} ✗` : String(guess));
      item.setAttribute(
        'aria-label',
        `${article(label)} ${label}, predicted ${guess}${wrong ? ' (wrong)' : ''}`,
      );
    });
  }
}
