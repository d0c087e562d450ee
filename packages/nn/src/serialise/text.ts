/**
 * Text to and from bytes. The package compiles against the ES library alone (no DOM or Node types), so
 * the `TextEncoder` and `TextDecoder` every browser and Node have are typed here.
 */

interface Codecs {
  TextEncoder: new () => { encode(text: string): Uint8Array };
  TextDecoder: new (
    label: string,
    options: { fatal: boolean },
  ) => {
    decode(bytes: Uint8Array): string;
  };
}

const codecs = globalThis as unknown as Codecs;

/** The UTF-8 bytes of `text`. */
export function utf8Encode(text: string): Uint8Array {
  return new codecs.TextEncoder().encode(text);
}

/** `bytes` decoded as UTF-8; throws a TypeError on invalid UTF-8. */
export function utf8Decode(bytes: Uint8Array): string {
  return new codecs.TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** `bytes` decoded as Latin-1: one character per byte. */
export function latin1Decode(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return text;
}
