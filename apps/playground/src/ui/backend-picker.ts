/**
 * The backend chooser: finds which backends start in this browser, marks the others unavailable with
 * the reason, picks the best by default, and switches when the user chooses another.
 */
import { type BackendName, availableBackends, getBackend, setBackend } from 'equinox-ts';
import { byId, setText } from './dom.js';
import { messageOf, showError } from './errors.js';

const NAMES: readonly BackendName[] = ['webgpu', 'gpujs', 'cpu'];

/** Why `name` cannot run here (it did not start, or only in a mode slower than the CPU backend). */
async function whyUnavailable(name: BackendName): Promise<string> {
  if (name === 'webgpu' && !('gpu' in navigator)) return 'this browser has no WebGPU';
  const previous = getBackend();
  try {
    await setBackend(name);
    return name === 'gpujs'
      ? 'no WebGL2 here (gpu.js would run as plain JavaScript)'
      : 'did not start';
  } catch (error) {
    return messageOf(error);
  } finally {
    await setBackend(previous.name as BackendName);
  }
}

export class BackendPicker {
  private readonly inputs = new Map<BackendName, HTMLInputElement>();

  /** `onChoose` runs after the user's choice has become the current backend. */
  constructor(private readonly onChoose: (name: BackendName) => Promise<void>) {
    for (const name of NAMES) {
      const input = byId('backend-picker', HTMLFieldSetElement).querySelector<HTMLInputElement>(
        `input[value="${name}"]`,
      );
      if (!input) throw new Error(`BackendPicker: no radio button for the backend '${name}'`);
      input.addEventListener('change', () => void this.choose(name));
      this.inputs.set(name, input);
    }
  }

  /** Finds the available backends, makes the best one current, and resolves to its name. */
  async detect(): Promise<BackendName> {
    const available = await availableBackends();
    for (const name of NAMES) {
      const usable = available.includes(name);
      this.inputs.get(name)!.disabled = !usable;
      this.note(name, usable ? 'available' : `unavailable: ${await whyUnavailable(name)}`);
    }
    const best = available[0] ?? 'cpu';
    await setBackend(best);
    this.markCurrent();
    return best;
  }

  /** Disables the choice while something that must not change backend mid-way runs. */
  setBusy(busy: boolean): void {
    byId('backend-picker', HTMLFieldSetElement).disabled = busy;
  }

  /**
   * After an error: if the WebGPU device was lost, says so and unchecks WebGPU, so that choosing it
   * again starts a new device. Returns whether it was a lost device.
   */
  noteLostDevice(): boolean {
    if (getBackend().isLost !== true) return false;
    this.inputs.get('webgpu')!.checked = false;
    this.note('webgpu', 'device lost: choose WebGPU again to start a new one');
    return true;
  }

  private async choose(name: BackendName): Promise<void> {
    this.setBusy(true);
    try {
      await setBackend(name);
      this.note(name, 'available');
      await this.onChoose(name);
    } catch (error) {
      showError(`Switching to the ${name} backend`, error);
    } finally {
      this.markCurrent();
      this.setBusy(false);
    }
  }

  private markCurrent(): void {
    const current = getBackend().name;
    for (const [name, input] of this.inputs) input.checked = name === current;
  }

  private note(name: BackendName, text: string): void {
    setText(byId(`backend-note-${name}`, HTMLElement), `(${text})`);
  }
}
