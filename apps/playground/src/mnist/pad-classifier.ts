/**
 * The drawing pad's side of the panel: the pad, its buttons, and the class probabilities, asked of the
 * current model whenever the ink (or the model) changes.
 */
import { type Digits, IMAGE_SIZE } from '../data/digits-file.js';
import { padToDigit } from '../draw/pad-to-digit.js';
import { byId } from '../ui/dom.js';
import { showError } from '../ui/errors.js';
import { DrawingPad } from './pad.js';
import { ProbabilityBars } from './probabilities.js';

export class PadClassifier {
  private readonly pad: DrawingPad;
  private readonly bars: ProbabilityBars;
  private busy = false;
  private again = false;

  /** `model` gives the 10 class probabilities of a 784-pixel image; `test` supplies sample digits. */
  constructor(
    private readonly model: (image: Float32Array) => Promise<Float32Array>,
    test: Digits,
  ) {
    this.bars = new ProbabilityBars(
      byId('pad-probabilities', HTMLOListElement),
      byId('pad-prediction', HTMLElement),
    );
    this.pad = new DrawingPad(byId('pad', HTMLCanvasElement), () => this.classify());
    byId('pad-clear', HTMLButtonElement).addEventListener('click', () => this.pad.clear());
    byId('pad-sample', HTMLButtonElement).addEventListener('click', () => {
      const i = Math.floor(Math.random() * test.labels.length);
      this.pad.showDigit(test.images.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE));
    });
  }

  /**
   * Asks the model about the ink and shows the answer. Calls that come while one is being answered
   * (a stroke makes many) fold into one more, for the latest ink.
   */
  classify(): void {
    if (this.busy) {
      this.again = true;
      return;
    }
    const { alpha, width, height } = this.pad.ink();
    const image = padToDigit(alpha, width, height);
    if (image === null) {
      this.bars.show(null);
      return;
    }
    this.busy = true;
    this.model(image)
      .then((probabilities) => this.bars.show(probabilities))
      .catch((error: unknown) => showError('Classifying the drawing', error))
      .finally(() => {
        this.busy = false;
        if (this.again) {
          this.again = false;
          this.classify();
        }
      });
  }
}
