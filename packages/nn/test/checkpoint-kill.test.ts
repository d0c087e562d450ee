// Atomic checkpoints, tested by killing the writer: a child process saves a large checkpoint B over a
// file holding checkpoint A and is killed with SIGKILL at a chosen point (before the write, with its
// temporary file half written, with it fully written, after the save). Whatever the point, the file is
// exactly A or exactly B, never a mix, and a later save still works beside any temporary file left behind.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Tensor, numpy } from '@equinox-ts/autodiff';
import {
  encodeSafetensors,
  loadSafetensors,
  serialiseLeaves,
  treeDeserialiseLeaves,
} from '../src/index.js';
import { type Format, SAVERS, largeTree, smallTree } from './helpers/checkpoint-trees.js';

jest.setTimeout(30_000); // the writers are Node processes that compile TypeScript as they start (1 to 3 s)

const PACKAGE_ROOT = join(__dirname, '..');
const WRITER = join(__dirname, 'helpers', 'checkpoint-writer.ts');
const ENCODERS: Record<Format, (tree: unknown) => Uint8Array> = {
  safetensors: encodeSafetensors,
  leaves: serialiseLeaves,
};

/** Where a kill lands, as the parent sees it. */
type KillPoint = 'before the write' | 'mid-write' | 'written, maybe renamed' | 'after the save';

let dir: string;
let target: string;
const running = new Set<ChildProcess>();
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'eqx-checkpoint-kill-'));
  target = join(dir, 'model.ckpt');
});
afterEach(() => {
  for (const child of running) child.kill('SIGKILL'); // a failed case must not leave a writer behind
  rmSync(dir, { recursive: true, force: true });
});

/** The temporary files a save of `target` leaves beside it: `.model.ckpt.<random>.tmp`. */
function temporaryFiles(): string[] {
  return readdirSync(dir).filter(
    (name) => name.startsWith('.model.ckpt.') && name.endsWith('.tmp'),
  );
}

/** The temporary file not in `old` and its size, or undefined if there is none (it may vanish at any time). */
function newTemporary(old: readonly string[]): { name: string; size: number } | undefined {
  const name = temporaryFiles().find((n) => !old.includes(n));
  if (name === undefined) return undefined;
  try {
    return { name, size: statSync(join(dir, name)).size };
  } catch {
    return undefined; // renamed over the target since readdir
  }
}

/**
 * Polls `condition` without yielding, so the kill follows the observation within microseconds rather
 * than after an event-loop turn.
 */
function spinUntil(what: string, condition: () => boolean, timeoutMs = 10_000): void {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`checkpoint-kill: timed out waiting for ${what}`);
  }
}

/** A child process that has built checkpoint B and waits to be told to save it. */
interface Writer {
  child: ChildProcess;
  /** Resolves once the child has printed `line`. */
  said(line: string): Promise<void>;
}

/** Starts a writer of `format`, and resolves once it is ready. */
async function startWriter(format: Format): Promise<Writer> {
  const child = spawn(
    process.execPath,
    ['--conditions=@equinox-ts/source', '--import', 'tsx', WRITER, format, target],
    { cwd: PACKAGE_ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const said = (line: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (stdout.split('\n').includes(line)) resolve();
      };
      child.stdout.on('data', check);
      child.once('exit', (code, signal) =>
        reject(
          new Error(
            `checkpoint-writer exited (${code ?? signal}) before saying ${line}: ${stderr}`,
          ),
        ),
      );
      check();
    });
  await said('ready');
  return { child, said };
}

/** SIGKILLs `child` and waits until it is gone. */
async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/**
 * Sets `writer` saving and SIGKILLs it at `point`; returns the temporary file it left, if any.
 * Temporary files of earlier killed writers are told apart by name.
 */
async function killWriter(
  { child, said }: Writer,
  point: KillPoint,
  fullSize: number,
): Promise<{ name: string; size: number } | undefined> {
  const old = temporaryFiles();
  child.stdin!.write('go\n');
  if (point === 'after the save') {
    await said('saved');
  } else {
    await said('saving');
    if (point === 'mid-write') {
      spinUntil('the temporary file to grow', () => (newTemporary(old)?.size ?? 0) > 0);
    } else if (point === 'written, maybe renamed') {
      // Fully written (then flushed and renamed): kill the moment the write is complete, or once the
      // temporary file has gone again if the rename won the race.
      let seen = false;
      spinUntil('the temporary file to be complete', () => {
        const size = newTemporary(old)?.size;
        seen ||= size !== undefined;
        return size === fullSize || (seen && size === undefined);
      });
    }
  }
  await kill(child);
  return newTemporary(old);
}

const bytesOf = (path: string): Uint8Array => new Uint8Array(readFileSync(path));

/** Reads the checkpoint back in `format`, with A's structure where the format needs one. */
async function load(format: Format): Promise<Record<string, Tensor>> {
  if (format === 'safetensors') return loadSafetensors(target);
  return treeDeserialiseLeaves(target, smallTree());
}

describe.each<Format>(['safetensors', 'leaves'])('a writer killed while saving (%s)', (format) => {
  const save = SAVERS[format];
  const encode = ENCODERS[format];
  // B is built in this process too, to know its exact bytes; it is the same function the child runs.
  const bBytes = encode(largeTree());

  /** The target's bytes are exactly `expected`, compared byte for byte. */
  function expectTarget(expected: Uint8Array): void {
    const found = bytesOf(target);
    expect(found.length).toBe(expected.length);
    expect(Buffer.compare(found, expected)).toBe(0);
  }

  test('killed before, during and after the write, the file is A or B, never partial', async () => {
    await save(target, smallTree());
    const aBytes = bytesOf(target);
    // Four writers, one per kill point, started together so that their start-up costs overlap.
    const [before, mid, written, after] = await Promise.all(
      [1, 2, 3, 4].map(() => startWriter(format)),
    );
    expect(Buffer.compare(aBytes, encode(smallTree()))).toBe(0);

    // Before the temporary file is written (the child is still encoding B): A.
    await killWriter(before!, 'before the write', bBytes.length);
    expectTarget(aBytes);

    // Mid-write: the half-written bytes are in the temporary file, and the target is still A.
    const partial = await killWriter(mid!, 'mid-write', bBytes.length);
    expect(partial).toBeDefined();
    expect(partial!.size).toBeGreaterThan(0);
    expect(partial!.size).toBeLessThan(bBytes.length);
    const partialBytes = bytesOf(join(dir, partial!.name)); // the start of B, cut short
    expect(Buffer.compare(partialBytes, bBytes.subarray(0, partialBytes.length))).toBe(0);
    expectTarget(aBytes);
    const loaded = await load(format);
    for (const [name, tensor] of Object.entries(smallTree())) {
      expect(loaded[name]!.tolist()).toEqual(tensor.tolist());
    }

    // Fully written, racing the flush and the rename: either whole file, nothing in between.
    await killWriter(written!, 'written, maybe renamed', bBytes.length);
    const found = bytesOf(target);
    const isA = Buffer.compare(found, aBytes) === 0;
    const isB = Buffer.compare(found, bBytes) === 0;
    expect(isA || isB).toBe(true);

    // After the save returned: B, and that save left no temporary file of its own.
    const leftBefore = temporaryFiles();
    await killWriter(after!, 'after the save', bBytes.length);
    expectTarget(bBytes);
    expect(temporaryFiles()).toEqual(leftBefore);

    // The killed writers' temporary files stay where they were (the docs say to delete them), and a
    // later save is not stopped by them: it opens its own, under a fresh random name, and renames it.
    const stray = temporaryFiles();
    expect(stray.length).toBeGreaterThanOrEqual(1); // at least the mid-write one
    const strayBytes = stray.map((name) => bytesOf(join(dir, name)));
    const next = {
      weight: numpy.array([
        [0, 1],
        [2, 3],
      ]),
      bias: numpy.array([4, 5]),
    };
    await save(target, next);
    expectTarget(encode(next));
    const reloaded = await load(format);
    expect(reloaded.weight!.tolist()).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(reloaded.bias!.tolist()).toEqual([4, 5]);
    expect(temporaryFiles()).toEqual(stray);
    stray.forEach((name, i) =>
      expect(Buffer.compare(bytesOf(join(dir, name)), strayBytes[i]!)).toBe(0),
    );
  });
});
