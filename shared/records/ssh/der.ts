import { CofferError } from '../../errors.ts';
import type { ErrorCode } from '../../protocol/error-codes.ts';
import { bytesToBigInt } from './bytes.ts';

/**
 * A minimal, strict DER reader (X.690) for the few ASN.1 structures of private-key files:
 * PKCS #1, SEC1, PKCS #8 and PBES2 parameters. Definite lengths only, bounds-checked, and every
 * failure names the structure being read. `failCode` lets a decryption caller report garbage
 * as a wrong passphrase rather than as damage.
 */

export const TAG = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  sequence: 0x30,
} as const;

export class DerReader {
  private offset = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
    private readonly failCode: ErrorCode = 'ssh_key_damaged',
  ) {}

  private fail(problem: string): never {
    throw new CofferError(this.failCode, `${this.what}: ${problem}`);
  }

  get hasMore(): boolean {
    return this.offset < this.bytes.length;
  }

  peekTag(): number | undefined {
    return this.bytes[this.offset];
  }

  /** Reads one element of any tag. */
  next(): { tag: number; value: Uint8Array } {
    const tag = this.bytes[this.offset];
    let length = this.bytes[this.offset + 1];
    if (tag === undefined || length === undefined) this.fail('truncated ASN.1');
    let pos = this.offset + 2;
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count === 0 || count > 4) this.fail('unsupported ASN.1 length');
      length = 0;
      for (let i = 0; i < count; i += 1) {
        const byte = this.bytes[pos + i];
        if (byte === undefined) this.fail('truncated ASN.1 length');
        length = length * 256 + byte;
      }
      pos += count;
    }
    if (pos + length > this.bytes.length) this.fail('truncated ASN.1 element');
    this.offset = pos + length;
    return { tag, value: this.bytes.subarray(pos, pos + length) };
  }

  expect(tag: number, name: string): Uint8Array {
    const element = this.next();
    if (element.tag !== tag) this.fail(`expected ${name}`);
    return element.value;
  }

  /** Reads the element only if it carries `tag` (OPTIONAL and context-tagged fields). */
  optional(tag: number): Uint8Array | undefined {
    return this.peekTag() === tag ? this.next().value : undefined;
  }

  sequence(name: string): DerReader {
    return new DerReader(this.expect(TAG.sequence, name), `${this.what} ${name}`, this.failCode);
  }

  integer(name: string): bigint {
    const value = this.expect(TAG.integer, name);
    if (value.length === 0 || ((value[0] ?? 0) & 0x80) !== 0) {
      this.fail(`${name} is not a non-negative integer`);
    }
    return bytesToBigInt(value);
  }

  /** Small non-negative integers (versions, iteration counts), bounded to stay exact. */
  smallInteger(name: string): number {
    const value = this.integer(name);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`${name} is too large`);
    return Number(value);
  }

  octetString(name: string): Uint8Array {
    return this.expect(TAG.octetString, name);
  }

  bitString(name: string): Uint8Array {
    const value = this.expect(TAG.bitString, name);
    if (value[0] !== 0) this.fail(`${name} has unused bits`);
    return value.subarray(1);
  }

  oid(name: string): string {
    const value = this.expect(TAG.oid, name);
    const first = value[0];
    if (first === undefined) this.fail(`${name} is empty`);
    const arcs = [
      Math.min(2, Math.floor(first / 40)),
      first - Math.min(2, Math.floor(first / 40)) * 40,
    ];
    let arc = 0;
    for (const byte of value.subarray(1)) {
      arc = arc * 128 + (byte & 0x7f);
      if (arc > Number.MAX_SAFE_INTEGER / 128) this.fail(`${name} has an oversized arc`);
      if ((byte & 0x80) === 0) {
        arcs.push(arc);
        arc = 0;
      }
    }
    return arcs.join('.');
  }

  end(): void {
    if (this.hasMore) this.fail('unexpected trailing data');
  }
}
