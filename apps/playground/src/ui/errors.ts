/**
 * Errors shown in the page, not only in the console: a banner (an ARIA alert, so screen readers announce
 * it) with what went wrong and what to do next.
 */
import { byId, setText } from './dom.js';

/** The message of any thrown value. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

const LOST_DEVICE = /GPU device was lost \(([^)]*)\)/;

/**
 * The banner's text for `error`: the library's message, except for a lost GPU device, whose message
 * is written for programmers; and what to do next where the user can do something.
 */
export function describeError(doing: string, error: unknown): string {
  const message = messageOf(error).replace(/\.$/, '');
  const lost = LOST_DEVICE.exec(message);
  if (lost) {
    return (
      `${doing}: the GPU device was lost (${lost[1]}), and the model on it with it. Training was ` +
      'paused. Choose a backend again to continue: the model starts afresh, or load saved weights.'
    );
  }
  const advice = /safetensors|header/i.test(message)
    ? ' Choose a .safetensors file saved by this playground.'
    : '';
  return `${doing}: ${message}.${advice}`;
}

/** Shows `error` in the banner, prefixed by what the page was doing. */
export function showError(doing: string, error: unknown): void {
  console.error(`${doing}:`, error);
  setText(byId('error-message', HTMLElement), describeError(doing, error));
  byId('error', HTMLElement).hidden = false;
}

/** Hides the banner. */
export function clearError(): void {
  byId('error', HTMLElement).hidden = true;
}

/** Wires the banner's dismiss button. */
export function setUpErrorBanner(): void {
  byId('error-dismiss', HTMLButtonElement).addEventListener('click', clearError);
}
