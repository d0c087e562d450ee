/** The pad's class probabilities: a bar per digit and a sentence naming the most likely one. */
import { setText } from '../ui/dom.js';

/** "an 8", "a 7". */
export const article = (digit: number): string => (digit === 8 ? 'an' : 'a');

export class ProbabilityBars {
  private readonly bars: HTMLLIElement[];

  constructor(
    list: HTMLOListElement,
    private readonly sentence: HTMLElement,
  ) {
    this.bars = Array.from({ length: 10 }, (_, digit) => {
      const item = document.createElement('li');
      item.innerHTML = `<span class="class-name">${digit}</span><span class="bar"><span class="fill"></span></span><span class="percent"></span>`;
      return item;
    });
    list.replaceChildren(...this.bars);
    this.show(null);
  }

  /** Shows `probabilities` (10 values summing to 1), or the empty state. */
  show(
    probabilities: Float32Array | null,
    prompt = 'Draw a digit to see what the model thinks.',
  ): void {
    let best = -1;
    this.bars.forEach((item, digit) => {
      const p = probabilities?.[digit] ?? 0;
      if (probabilities && (best < 0 || p > probabilities[best]!)) best = digit;
      item.dataset.probability = probabilities ? p.toFixed(4) : '';
      (item.querySelector('.fill') as HTMLElement).style.width = `${(100 * p).toFixed(1)}%`;
      setText(item.querySelector('.percent')!, probabilities ? `${(100 * p).toFixed(1)}%` : '');
      item.setAttribute(
        'aria-label',
        probabilities ? `${digit}: ${(100 * p).toFixed(1)}%` : `${digit}`,
      );
    });
    this.bars.forEach((item, digit) => item.classList.toggle('best', digit === best));
    if (!probabilities) {
      delete this.sentence.dataset.predicted;
      setText(this.sentence, prompt);
      return;
    }
    this.sentence.dataset.predicted = String(best);
    setText(
      this.sentence,
      `Looks like ${article(best)} ${best} (${(100 * probabilities[best]!).toFixed(1)}% sure).`,
    );
  }
}
