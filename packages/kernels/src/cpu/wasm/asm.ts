/**
 * An instruction writer for function bodies: one method per opcode the kernels use, plus local
 * allocation. Methods return `this`, so code reads in stack order: `f.get(a).get(b).i32Add().set(c)`.
 */
import { Bytes, I32, V128, type FunctionDef } from './encoder.js';

/** The SIMD opcode prefix; SIMD opcodes follow as LEB128 numbers. */
const SIMD = 0xfd;

/** Writes one function. Parameters are locals `0 .. params.length - 1`. */
export class Asm {
  readonly body = new Bytes();
  private readonly locals: number[] = [];

  constructor(
    readonly name: string,
    readonly params: readonly number[],
    readonly results: readonly number[] = [],
  ) {}

  /** A new local of type `type` (I32 or V128), returned as its index. */
  local(type: number = I32): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  /** The finished function, for {@link encodeModule}. */
  build(): FunctionDef {
    return {
      name: this.name,
      params: this.params,
      results: this.results,
      locals: this.locals,
      body: this.body,
    };
  }

  private op(code: number): this {
    this.body.byte(code);
    return this;
  }

  /** A SIMD instruction without immediates, by its opcode (see `SIMD` in simd-ops.ts). */
  simd(code: number): this {
    this.body.byte(SIMD).u32(code);
    return this;
  }

  // --- control --------------------------------------------------------------------------------------

  /** `block` with no result; `br 0` inside jumps to its end. */
  block(): this {
    return this.op(0x02).op(0x40);
  }
  /** `loop` with no result; `br 0` inside jumps to its start. */
  loop(): this {
    return this.op(0x03).op(0x40);
  }
  /** `if` with no result, popping the condition. */
  if(): this {
    return this.op(0x04).op(0x40);
  }
  else(): this {
    return this.op(0x05);
  }
  end(): this {
    return this.op(0x0b);
  }
  br(depth: number): this {
    this.op(0x0c).body.u32(depth);
    return this;
  }
  brIf(depth: number): this {
    this.op(0x0d).body.u32(depth);
    return this;
  }
  /** `call` of the module's function `index` (its position in the module, as `FN_*` in kernel.ts). */
  call(index: number): this {
    this.op(0x10).body.u32(index);
    return this;
  }
  return(): this {
    return this.op(0x0f);
  }
  /** `select`: pops c, b, a and pushes `c ? a : b`. */
  select(): this {
    return this.op(0x1b);
  }

  // --- locals and constants -------------------------------------------------------------------------

  get(local: number): this {
    this.op(0x20).body.u32(local);
    return this;
  }
  set(local: number): this {
    this.op(0x21).body.u32(local);
    return this;
  }
  tee(local: number): this {
    this.op(0x22).body.u32(local);
    return this;
  }
  i32(value: number): this {
    this.op(0x41).body.i32(value);
    return this;
  }

  // --- i32 arithmetic -------------------------------------------------------------------------------

  i32Add(): this {
    return this.op(0x6a);
  }
  i32Sub(): this {
    return this.op(0x6b);
  }
  i32Mul(): this {
    return this.op(0x6c);
  }
  i32Shl(): this {
    return this.op(0x74);
  }
  i32ShrU(): this {
    return this.op(0x76);
  }
  i32Eqz(): this {
    return this.op(0x45);
  }
  i32Eq(): this {
    return this.op(0x46);
  }
  i32Ne(): this {
    return this.op(0x47);
  }
  i32LtS(): this {
    return this.op(0x48);
  }
  i32GtS(): this {
    return this.op(0x4a);
  }
  i32LeS(): this {
    return this.op(0x4c);
  }
  i32GeS(): this {
    return this.op(0x4e);
  }
  i32And(): this {
    return this.op(0x71);
  }
  i32Or(): this {
    return this.op(0x72);
  }

  /** `local += delta` for an i32 local. */
  inc(local: number, delta: number): this {
    return this.get(local).i32(delta).i32Add().set(local);
  }
  /** `local += other` for i32 locals. */
  incBy(local: number, other: number): this {
    return this.get(local).get(other).i32Add().set(local);
  }

  // --- memory ---------------------------------------------------------------------------------------

  /** `i32.load` at the address on the stack plus `offset` bytes. */
  i32Load(offset = 0): this {
    this.op(0x28).body.u32(2).u32(offset);
    return this;
  }
  /** `f32.load` at the address on the stack plus `offset` bytes. */
  f32Load(offset = 0): this {
    this.op(0x2a).body.u32(2).u32(offset);
    return this;
  }
  /** `f32.store`: pops value and address. */
  f32Store(offset = 0): this {
    this.op(0x38).body.u32(2).u32(offset);
    return this;
  }
  /** `i32.load8_u` at the address on the stack plus `offset` bytes. */
  i32Load8U(offset = 0): this {
    this.op(0x2d).body.u32(0).u32(offset);
    return this;
  }
  /** `f32.const` of `value` (rounded to float32). */
  f32Const(value: number): this {
    this.op(0x43).body.bytes(new Uint8Array(new Float32Array([value]).buffer));
    return this;
  }
  f32Const0(): this {
    return this.op(0x43).op(0).op(0).op(0).op(0);
  }

  // --- SIMD -----------------------------------------------------------------------------------------

  /** `v128.load` (alignment hint 16 bytes; unaligned addresses still work). */
  v128Load(offset = 0): this {
    this.simd(0x00).body.u32(4).u32(offset);
    return this;
  }
  /** `v128.load32_splat`: one float read into all four lanes. */
  v128Load32Splat(offset = 0): this {
    this.simd(0x09).body.u32(2).u32(offset);
    return this;
  }
  /** `v128.load32_zero`: four bytes into the low lane, the others zero. */
  v128Load32Zero(offset = 0): this {
    this.simd(0x5c).body.u32(2).u32(offset);
    return this;
  }
  /** `v128.store32_lane` of lane `lane`: pops value and address. */
  v128Store32Lane(lane: number, offset = 0): this {
    this.simd(0x5a).body.u32(2).u32(offset).byte(lane);
    return this;
  }
  /** `v128.store`: pops value and address. */
  v128Store(offset = 0): this {
    this.simd(0x0b).body.u32(4).u32(offset);
    return this;
  }
  /** A zero vector (`v128.const` of sixteen zero bytes). */
  v128Zero(): this {
    this.simd(0x0c);
    for (let i = 0; i < 16; i++) this.body.byte(0);
    return this;
  }
  f32x4Add(): this {
    return this.simd(0xe4);
  }
  f32x4Mul(): this {
    return this.simd(0xe6);
  }
}

/** Value types, re-exported so kernel code needs one import. */
/**
 * The parameter list of every exported function of the GEMM module: nine i32s (unused ones ignored), so
 * one task record format serves them all.
 */
export const PARAMS9 = [I32, I32, I32, I32, I32, I32, I32, I32, I32];

/** Emits `while (!exit) body` into `f`: `exit` pushes an i32 that ends the loop when nonzero. */
export function whileNot(f: Asm, exit: () => void, body: () => void): void {
  f.block().loop();
  exit();
  f.brIf(1);
  body();
  f.br(0).end().end();
}

export { I32, V128 };
