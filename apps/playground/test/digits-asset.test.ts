// The digits asset: the mnist package's digits load whole and ordered by label, survive the binary file
// to within the 1/255 rounding, and the plugin serves them in `vite dev` and emits them in `vite build`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { IMAGE_SIZE, type Digits, decodeDigits, encodeDigits } from '../src/data/digits-file.js';
import { digitsAsset, loadPackageDigits } from '../vite/digits-asset.js';

let digits: Digits;
beforeAll(() => {
  digits = loadPackageDigits();
});

// Where two label arrays first differ, -1 if nowhere (jest's deep equality is slow on 10,000 items).
function firstDifference(a: Int32Array, b: Int32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  return a.findIndex((label, i) => label !== b[i]);
}

test('the package holds about 10,000 digits of all ten labels, in label order, pixels in [0, 1]', () => {
  const count = digits.labels.length;
  expect(count).toBeGreaterThan(9_000);
  expect(count).toBeLessThan(11_000);
  expect(digits.images.length).toBe(count * IMAGE_SIZE);
  const perLabel = new Array<number>(10).fill(0);
  digits.labels.forEach((label) => perLabel[label]!++);
  expect(digits.labels.every((label, i) => i === 0 || label >= digits.labels[i - 1]!)).toBe(true);
  // Every label, roughly a tenth each.
  for (const n of perLabel) expect(n).toBeGreaterThan(count / 20);
  let low = Infinity;
  let high = -Infinity;
  // Comparisons rather than Math.min/max: globals are slow to reach in a hot loop under jest.
  for (let i = 0; i < digits.images.length; i++) {
    const value = digits.images[i]!;
    if (value < low) low = value;
    if (value > high) high = value;
  }
  expect(low).toBe(0);
  expect(high).toBeGreaterThan(0.99);
  expect(high).toBeLessThanOrEqual(1);
});

test('decode(encode(digits)) gives them back to within half a level, 1/510', () => {
  const back = decodeDigits(encodeDigits(digits));
  expect(firstDifference(back.labels, digits.labels)).toBe(-1);
  let worst = 0;
  for (let i = 0; i < back.images.length; i++) {
    const error = back.images[i]! - digits.images[i]!;
    if (error > worst) worst = error;
    if (-error > worst) worst = -error;
  }
  // Float32 storage adds ~1e-8 to the rounding's 1/510.
  expect(worst).toBeLessThanOrEqual(1 / 510 + 1e-7);
});

// The plugin's hooks, called as Vite would, with just the parts of Vite's context they use.
type Middleware = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

function hook(name: 'configureServer' | 'generateBundle'): (...args: unknown[]) => unknown {
  const value: unknown = digitsAsset()[name];
  expect(typeof value).toBe('function');
  return value as (...args: unknown[]) => unknown;
}

function devServer(base = '/'): { middleware: Middleware } {
  const middlewares: Middleware[] = [];
  hook('configureServer')({
    config: { base },
    middlewares: { use: (m: Middleware) => middlewares.push(m) },
  });
  expect(middlewares).toHaveLength(1);
  return { middleware: middlewares[0]! };
}

function request(middleware: Middleware, url: string, method = 'GET') {
  const headers = new Map<string, string>();
  const answer = {
    statusCode: 0,
    body: undefined as Uint8Array | undefined,
    passedOn: false,
    headers,
  };
  const response = {
    set statusCode(code: number) {
      answer.statusCode = code;
    },
    setHeader: (name: string, value: string) => headers.set(name.toLowerCase(), value),
    end: (body?: Uint8Array) => {
      answer.body = body;
    },
  };
  middleware(
    { url, method } as IncomingMessage,
    response as unknown as ServerResponse,
    () => (answer.passedOn = true),
  );
  return answer;
}

test('vite dev serves the encoded digits at /digits.bin and leaves other requests alone', () => {
  const { middleware } = devServer();
  const answer = request(middleware, '/digits.bin?v=1');
  expect(answer.passedOn).toBe(false);
  expect(answer.statusCode).toBe(200);
  expect(answer.headers.get('content-type')).toBe('application/octet-stream');
  expect(answer.headers.get('content-length')).toBe(String(8 + digits.labels.length * 785));
  expect(firstDifference(decodeDigits(answer.body!).labels, digits.labels)).toBe(-1);
  expect(request(middleware, '/index.html').passedOn).toBe(true);
  expect(request(middleware, '/digits.bin', 'POST').passedOn).toBe(true);
  const head = request(middleware, '/digits.bin', 'HEAD');
  expect(head.body).toBeUndefined();
  expect(head.headers.get('content-length')).toBe(answer.headers.get('content-length'));
  // Under a base path the file is there too.
  expect(request(devServer('/playground/').middleware, '/playground/digits.bin').statusCode).toBe(
    200,
  );
});

test('vite build emits the encoded digits as the asset digits.bin', () => {
  const emitted: { type: string; fileName: string; source: Uint8Array }[] = [];
  hook('generateBundle').call({ emitFile: (file: (typeof emitted)[number]) => emitted.push(file) });
  expect(emitted).toHaveLength(1);
  expect(emitted[0]!.type).toBe('asset');
  expect(emitted[0]!.fileName).toBe('digits.bin');
  expect(firstDifference(decodeDigits(emitted[0]!.source).labels, digits.labels)).toBe(-1);
});
