/**
 * Download and upload of the MNIST model's weights as safetensors files (the format PyTorch, JAX and
 * Hugging Face tools read), through the panel's two controls.
 */
import { byId, setText } from '../ui/dom.js';
import { showError } from '../ui/errors.js';
import { type DigitModel, type ModelKind } from './models.js';
import { loadDigitModel } from './session.js';

/** What the controls need from the panel. */
export interface WeightsHost {
  /** The current model's weights as a safetensors file. */
  save(): Promise<Uint8Array>;
  /** The current model's kind and steps trained, for the file name. */
  describe(): { kind: ModelKind; steps: number };
  /** Continues with a model loaded from a file. */
  use(model: DigitModel): Promise<void>;
}

const kilobytes = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KB`;

export class WeightsControls {
  private readonly status = byId('weights-status', HTMLElement);

  constructor(private readonly host: WeightsHost) {
    byId('weights-download', HTMLButtonElement).addEventListener(
      'click',
      () => void this.download(),
    );
    const input = byId('weights-file', HTMLInputElement);
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      // Cleared, so that choosing the same file again loads it again.
      input.value = '';
      if (file) void this.upload(file);
    });
  }

  private async download(): Promise<void> {
    try {
      const { kind, steps } = this.host.describe();
      const bytes = await this.host.save();
      const name = `mnist-${kind}-step${steps}.safetensors`;
      const url = URL.createObjectURL(
        new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }),
      );
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.click();
      // The download has started once click() returns; the URL can go after this task.
      setTimeout(() => URL.revokeObjectURL(url), 0);
      setText(this.status, `Saved ${name} (${kilobytes(bytes.length)}).`);
    } catch (error) {
      showError('Saving the weights', error);
    }
  }

  private async upload(file: File): Promise<void> {
    setText(this.status, `Loading ${file.name}…`);
    try {
      const model = await loadDigitModel(file);
      await this.host.use(model);
      setText(this.status, `Loaded ${file.name} (${kilobytes(file.size)}).`);
    } catch (error) {
      setText(this.status, '');
      showError(`Loading weights from "${file.name}"`, error);
    }
  }
}
