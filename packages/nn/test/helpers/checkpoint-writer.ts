// The child process of test/checkpoint-kill.test.ts. It builds the large checkpoint B and says `ready`;
// on a line on stdin it says `saving` and saves B over PATH, says `saved` once the save has returned, and
// then waits to be killed. Starting is slow (compiling TypeScript), so the test starts its writers early
// and sets each one off when it is wanted.
// Usage: node --conditions=@equinox-ts/source --import tsx test/helpers/checkpoint-writer.ts FORMAT PATH
import { type Format, SAVERS, largeTree } from './checkpoint-trees.js';

function main(): void {
  const [format, path] = process.argv.slice(2);
  if (path === undefined || !(format! in SAVERS)) {
    throw new Error(
      `checkpoint-writer: expected FORMAT (${Object.keys(SAVERS).join(' or ')}) and PATH, found ${process.argv.slice(2).join(' ')}`,
    );
  }
  const tree = largeTree();
  process.stdin.once('data', () => {
    process.stdout.write('saving\n'); // synchronous on a pipe: the parent hears it before the save starts
    void SAVERS[format as Format](path, tree).then(() => process.stdout.write('saved\n'));
  });
  process.stdout.write('ready\n'); // stdin keeps the process alive until it is killed
}

main();
