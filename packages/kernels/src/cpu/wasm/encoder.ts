/**
 * A minimal WebAssembly binary encoder: LEB128 numbers, sections, and a module with one imported
 * memory and a list of functions. Enough for the GEMM kernels, which are generated at runtime.
 */

/** A growable byte buffer with the encodings the binary format uses. */
export class Bytes {
  private buf = new Uint8Array(256);
  /** Number of bytes written. */
  length = 0;

  /** Appends one byte. */
  byte(b: number): this {
    if (this.length === this.buf.length) {
      const bigger = new Uint8Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.length++] = b & 0xff;
    return this;
  }

  /** Appends several bytes. */
  bytes(bs: ArrayLike<number>): this {
    for (let i = 0; i < bs.length; i++) this.byte(bs[i]!);
    return this;
  }

  /** Appends an unsigned LEB128 number (u32). */
  u32(value: number): this {
    let v = value >>> 0;
    do {
      const low = v & 0x7f;
      v >>>= 7;
      this.byte(v === 0 ? low : low | 0x80);
    } while (v !== 0);
    return this;
  }

  /** Appends a signed LEB128 number (i32). */
  i32(value: number): this {
    let v = value | 0;
    for (;;) {
      const low = v & 0x7f;
      v >>= 7;
      // Done once the remaining bits are all copies of the sign bit of `low`.
      if ((v === 0 && (low & 0x40) === 0) || (v === -1 && (low & 0x40) !== 0)) {
        this.byte(low);
        return this;
      }
      this.byte(low | 0x80);
    }
  }

  /** Appends an ASCII name, prefixed by its length (UTF-8 of ASCII is ASCII). */
  name(s: string): this {
    this.u32(s.length);
    for (let i = 0; i < s.length; i++) this.byte(s.charCodeAt(i));
    return this;
  }

  /** Appends another buffer, prefixed by its length (how sections and function bodies are framed). */
  framed(inner: Bytes): this {
    return this.u32(inner.length).bytes(inner.toArray());
  }

  /** The bytes written so far. */
  toArray(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** Value types. */
export const I32 = 0x7f;
/** The 128-bit vector type of the SIMD proposal. */
export const V128 = 0x7b;

/** One function of a module: its signature, extra locals, and body (instructions, without the final `end`). */
export interface FunctionDef {
  name: string;
  params: readonly number[];
  results: readonly number[];
  /** Types of the locals after the parameters. */
  locals: readonly number[];
  body: Bytes;
}

/** Memory limits in 64 KiB pages. A shared memory must have a maximum. */
export interface MemoryDef {
  initial: number;
  maximum: number;
  shared: boolean;
}

/**
 * Encodes a module that imports its memory as `env.memory` and exports every function by its name.
 * Each function gets its own type entry (duplicates are allowed by the format).
 */
export function encodeModule(memory: MemoryDef, functions: readonly FunctionDef[]): Uint8Array {
  const out = new Bytes().bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const section = (id: number, content: Bytes) => out.byte(id).framed(content);

  const types = new Bytes().u32(functions.length);
  for (const f of functions) {
    types.byte(0x60).u32(f.params.length).bytes(f.params).u32(f.results.length).bytes(f.results);
  }
  section(1, types);

  const imports = new Bytes().u32(1).name('env').name('memory').byte(0x02);
  imports
    .byte(memory.shared ? 0x03 : 0x01)
    .u32(memory.initial)
    .u32(memory.maximum);
  section(2, imports);

  const funcs = new Bytes().u32(functions.length);
  functions.forEach((_, i) => funcs.u32(i));
  section(3, funcs);

  const exports = new Bytes().u32(functions.length);
  functions.forEach((f, i) => exports.name(f.name).byte(0x00).u32(i));
  section(7, exports);

  const code = new Bytes().u32(functions.length);
  for (const f of functions) {
    const body = new Bytes();
    // Locals are run-length encoded by type.
    const runs: [number, number][] = [];
    for (const t of f.locals) {
      const last = runs[runs.length - 1];
      if (last !== undefined && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    body.u32(runs.length);
    for (const [count, t] of runs) body.u32(count).byte(t);
    body.bytes(f.body.toArray()).byte(0x0b);
    code.framed(body);
  }
  section(10, code);
  return out.toArray();
}
