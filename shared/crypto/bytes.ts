import { CofferError } from '../errors.ts';

/**
 * Byte and text conversions used by every wire format. Decoders are strict on purpose: a value
 * that can be spelled two ways (padding, mixed alphabets, stray bits) lets two different strings
 * stand for the same bytes, which breaks comparisons and signatures made over the text form.
 */

const encoder = new TextEncoder();
// fatal: invalid UTF-8 is an error, never U+FFFD; ignoreBOM: a leading U+FEFF is content and is
// kept, so decode(encode(s)) === s for every well-formed string.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE64URL_VALUES = new Int16Array(128).fill(-1);
for (let i = 0; i < BASE64URL.length; i += 1) BASE64URL_VALUES[BASE64URL.charCodeAt(i)] = i;

const HEX = '0123456789abcdef';

/** Throws unless `value` is a Uint8Array; `name` says which argument in the message. */
export function assertBytes(value: unknown, name: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new CofferError('invalid_input', `${name} must be a Uint8Array`);
  }
}

/**
 * WebCrypto accepts only views over a plain ArrayBuffer (TypeScript models this since 5.7).
 * Views over a SharedArrayBuffer are copied so another thread cannot change them mid-operation.
 */
export function bufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer
    ? (bytes as Uint8Array<ArrayBuffer>)
    : new Uint8Array(bytes);
}

export function utf8(text: string): Uint8Array {
  if (typeof text !== 'string') throw new CofferError('invalid_input', 'text must be a string');
  return encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  assertBytes(bytes, 'bytes');
  try {
    return decoder.decode(bytes);
  } catch (error) {
    throw new CofferError('invalid_input', 'bytes are not valid UTF-8', { cause: error });
  }
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const [index, part] of parts.entries()) {
    assertBytes(part, `part ${index}`);
    length += part.length;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** RFC 4648 §5 base64url without padding. */
export function toBase64Url(bytes: Uint8Array): string {
  assertBytes(bytes, 'bytes');
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out +=
      BASE64URL[n >>> 18]! +
      BASE64URL[(n >>> 12) & 63]! +
      BASE64URL[(n >>> 6) & 63]! +
      BASE64URL[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += BASE64URL[n >>> 18]! + BASE64URL[(n >>> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += BASE64URL[n >>> 18]! + BASE64URL[(n >>> 12) & 63]! + BASE64URL[(n >>> 6) & 63]!;
  }
  return out;
}

/**
 * Strict RFC 4648 §5 base64url: only the url-safe alphabet, no padding, no whitespace, no
 * impossible length (4n+1), and the unused low bits of the last character must be zero
 * (RFC 4648 §3.5), so every byte string has exactly one accepted spelling.
 */
export function fromBase64Url(text: string): Uint8Array {
  if (typeof text !== 'string')
    throw new CofferError('invalid_input', 'base64url must be a string');
  if (text.length % 4 === 1) {
    throw new CofferError('invalid_input', `base64url has an impossible length (${text.length})`);
  }
  if (nativeFromBase64 !== undefined) return fromBase64UrlNative(nativeFromBase64, text);
  const values = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? BASE64URL_VALUES[code]! : -1;
    if (value < 0) {
      throw new CofferError(
        'invalid_input',
        `base64url has a character outside its alphabet at ${i}`,
      );
    }
    values[i] = value;
  }
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let o = 0;
  let i = 0;
  for (; i + 3 < values.length; i += 4) {
    const n = (values[i]! << 18) | (values[i + 1]! << 12) | (values[i + 2]! << 6) | values[i + 3]!;
    out[o++] = n >>> 16;
    out[o++] = (n >>> 8) & 255;
    out[o++] = n & 255;
  }
  const rest = values.length - i;
  if (rest === 2) {
    const n = (values[i]! << 18) | (values[i + 1]! << 12);
    if (n & 0xffff) throw nonCanonical();
    out[o] = n >>> 16;
  } else if (rest === 3) {
    const n = (values[i]! << 18) | (values[i + 1]! << 12) | (values[i + 2]! << 6);
    if (n & 0xff) throw nonCanonical();
    out[o] = n >>> 16;
    out[o + 1] = (n >>> 8) & 255;
  }
  return out;
}

type NativeFromBase64 = (text: string, options: { alphabet: 'base64url' }) => Uint8Array;

/**
 * Uint8Array.fromBase64 (Chromium 140+, so Electron 39+; not Node 20) decodes several times
 * faster than the loop above, which matters when a vault's 100,000 sealed records are decoded
 * (issue #4). It is lenient where this module is strict, so the strictness is checked around it.
 */
const nativeFromBase64 = (Uint8Array as unknown as { fromBase64?: NativeFromBase64 }).fromBase64;

function fromBase64UrlNative(decode: NativeFromBase64, text: string): Uint8Array {
  let out: Uint8Array;
  try {
    out = decode(text, { alphabet: 'base64url' });
  } catch (error) {
    throw new CofferError('invalid_input', 'base64url has a character outside its alphabet', {
      cause: error,
    });
  }
  // The native decoder skips ASCII whitespace and accepts "=" padding. Every such character
  // makes the output shorter than an unpadded text of this length decodes to (lengths of 4n+1
  // are refused above, and that is the one case a single skipped character would hide).
  if (out.length !== Math.floor((text.length * 3) / 4)) {
    throw new CofferError('invalid_input', 'base64url has padding or whitespace');
  }
  // It also ignores the unused low bits of a last partial group (RFC 4648 §3.5).
  const rest = text.length % 4;
  if (rest !== 0) {
    const last = BASE64URL_VALUES[text.charCodeAt(text.length - 1)]!;
    if (last & (rest === 2 ? 0x0f : 0x03)) throw nonCanonical();
  }
  return out;
}

function nonCanonical(): CofferError {
  return new CofferError('invalid_input', 'base64url has non-zero padding bits (not canonical)');
}

export function toHex(bytes: Uint8Array): string {
  assertBytes(bytes, 'bytes');
  let out = '';
  for (const byte of bytes) out += HEX[byte >>> 4]! + HEX[byte & 15]!;
  return out;
}

/** Accepts upper- or lower-case digits; rejects odd lengths, separators and whitespace. */
export function fromHex(text: string): Uint8Array {
  if (typeof text !== 'string') throw new CofferError('invalid_input', 'hex must be a string');
  if (text.length % 2 !== 0) throw new CofferError('invalid_input', 'hex has an odd length');
  if (!/^[0-9a-fA-F]*$/.test(text)) {
    throw new CofferError('invalid_input', 'hex has a character other than 0-9, a-f');
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i += 1) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}
