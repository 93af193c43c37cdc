import { concatBytes, utf8 } from '../../crypto/bytes.ts';
import { CofferError } from '../../errors.ts';
import { decodeBase64Strict } from '../pkcs/base64.ts';

/**
 * Byte helpers and the SSH wire encoding (RFC 4251 §5: uint32, uint64, string, mpint) used by
 * every SSH key format. Readers never trust a length prefix: each read is bounds-checked and a
 * short buffer is reported as damage in the named structure.
 */

// One implementation of each: the vault's byte helpers and the PKCS module's strict base64.
export { concatBytes, utf8 } from '../../crypto/bytes.ts';
export { constantTimeEqual as bytesEqual } from '../../crypto/compare.ts';
export { encodeBase64 as toBase64 } from '../pkcs/base64.ts';

const strictDecoder = new TextDecoder('utf-8', { fatal: true });

export function fromUtf8(bytes: Uint8Array, what: string): string {
  try {
    return strictDecoder.decode(bytes);
  } catch (cause) {
    throw new CofferError('ssh_key_damaged', `${what} is not valid UTF-8`, { cause });
  }
}

/** Strict base64 (standard alphabet, padding required); whitespace must be removed first. */
export function fromBase64(text: string, what: string): Uint8Array {
  const bytes = decodeBase64Strict(text);
  if (bytes === undefined) throw new CofferError('ssh_key_damaged', `${what} is not valid base64`);
  return bytes;
}

export function fromHex(text: string, what: string): Uint8Array {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(text)) {
    throw new CofferError('ssh_key_damaged', `${what} is not valid hexadecimal`);
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i += 1) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Big-endian unsigned bytes to bigint. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/** bigint to big-endian unsigned bytes, minimal length, or left-padded to `length`. */
export function bigIntToBytes(value: bigint, length?: number): Uint8Array {
  if (value < 0n) throw new CofferError('invalid_input', 'Negative integers are not encodable');
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (value === 0n) hex = '';
  const raw = fromHex(hex, 'integer');
  if (length === undefined) return raw;
  if (raw.length > length) throw new CofferError('invalid_input', 'Integer too large for field');
  const out = new Uint8Array(length);
  out.set(raw, length - raw.length);
  return out;
}

export function bitLength(value: bigint): number {
  return value === 0n ? 0 : value.toString(2).length;
}

/** Reads the SSH wire encoding; `what` names the structure in error messages. */
export class SshReader {
  private offset = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
  ) {}

  /** Bytes read so far (the end of the signed part of a certificate). */
  get consumed(): number {
    return this.offset;
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  raw(length: number): Uint8Array {
    if (length < 0 || length > this.remaining) {
      throw new CofferError('ssh_key_damaged', `${this.what} is truncated`);
    }
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  uint32(): number {
    const b = this.raw(4);
    return (
      ((b[0] ?? 0) * 0x1000000 + (((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0))) >>> 0
    );
  }

  uint64(): bigint {
    return bytesToBigInt(this.raw(8));
  }

  string(): Uint8Array {
    return this.raw(this.uint32());
  }

  text(): string {
    return fromUtf8(this.string(), `A text field of ${this.what}`);
  }

  /** mpint (RFC 4251 §5): two's complement; keys never hold negative values. */
  mpint(): bigint {
    const b = this.string();
    if (b.length > 0 && ((b[0] ?? 0) & 0x80) !== 0) {
      throw new CofferError('ssh_key_damaged', `${this.what} holds a negative integer`);
    }
    return bytesToBigInt(b);
  }

  end(): void {
    if (this.remaining !== 0) {
      throw new CofferError('ssh_key_damaged', `${this.what} has unexpected trailing data`);
    }
  }
}

/** Builds the SSH wire encoding. */
export class SshWriter {
  private readonly parts: Uint8Array[] = [];

  raw(bytes: Uint8Array): this {
    this.parts.push(bytes);
    return this;
  }

  uint32(value: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, value >>> 0);
    return this.raw(b);
  }

  string(value: Uint8Array | string): this {
    const bytes = typeof value === 'string' ? utf8(value) : value;
    return this.uint32(bytes.length).raw(bytes);
  }

  mpint(value: bigint): this {
    const raw = bigIntToBytes(value);
    const needsZero = raw.length > 0 && ((raw[0] ?? 0) & 0x80) !== 0;
    return this.string(needsZero ? concatBytes(new Uint8Array([0]), raw) : raw);
  }

  bytes(): Uint8Array {
    return concatBytes(...this.parts);
  }
}
