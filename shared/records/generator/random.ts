import { CofferError } from '../../errors.ts';

/** Fills `bytes` with cryptographically secure random bytes. */
export type FillRandom = (bytes: Uint8Array<ArrayBuffer>) => void;

/** WebCrypto caps one getRandomValues call at 65,536 bytes (W3C WebCrypto §10.1.1). */
const MAX_FILL_BYTES = 65_536;
const BUFFER_WORDS = 256;
const TWO_POW_32 = 0x1_0000_0000;

/** The platform CSPRNG: WebCrypto in Node 20, Chromium and Electron alike. */
export const webCryptoFill: FillRandom = (bytes) => {
  const webCrypto = globalThis.crypto as Crypto | undefined;
  if (webCrypto === undefined || typeof webCrypto.getRandomValues !== 'function') {
    throw new CofferError('crypto_rng_failure', 'No secure random number generator is available.');
  }
  for (let offset = 0; offset < bytes.length; offset += MAX_FILL_BYTES) {
    webCrypto.getRandomValues(bytes.subarray(offset, offset + MAX_FILL_BYTES));
  }
};

/**
 * Unbiased random integers drawn from a CSPRNG.
 *
 * Every draw uses rejection sampling: a raw value is accepted only when it falls below the largest
 * multiple of the range that fits, so `value % range` is exactly uniform (no modulo bias). Raw
 * words are fetched in batches to keep the number of getRandomValues calls low; `dispose()` zeroes
 * the batch afterwards, because the words that built a password would otherwise let anyone who
 * reads this memory rebuild it.
 */
export class RandomSource {
  private readonly words = new Uint32Array(BUFFER_WORDS);
  private readonly bytes = new Uint8Array(this.words.buffer);
  private next = BUFFER_WORDS;

  constructor(private readonly fill: FillRandom = webCryptoFill) {}

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    if (this.next === BUFFER_WORDS) {
      this.fill(this.bytes);
      this.next = 0;
    }
    const value = this.words[this.next] as number;
    this.words[this.next] = 0;
    this.next += 1;
    return value;
  }

  /** A uniform integer in [0, range), for 1 ≤ range ≤ 2^32. */
  below(range: number): number {
    if (!Number.isInteger(range) || range < 1 || range > TWO_POW_32) {
      throw new CofferError('invalid_input', 'Random range must be an integer from 1 to 2^32.');
    }
    // Largest multiple of `range` not above 2^32: raw values at or past it are redrawn.
    const limit = TWO_POW_32 - (TWO_POW_32 % range);
    for (;;) {
      const value = this.uint32();
      if (value < limit) return value % range;
    }
  }

  /** A uniform bigint in [0, range), for range ≥ 1: masked draws of the range's bit length. */
  bigBelow(range: bigint): bigint {
    if (range < 1n) {
      throw new CofferError('invalid_input', 'Random range must be at least 1.');
    }
    const bits = (range - 1n).toString(2).length;
    const words = Math.ceil(bits / 32);
    const mask = (1n << BigInt(bits)) - 1n;
    for (;;) {
      let value = 0n;
      for (let i = 0; i < words; i += 1) value = (value << 32n) | BigInt(this.uint32());
      value &= mask;
      // Masking to the exact bit length keeps the acceptance probability above one half.
      if (value < range) return value;
    }
  }

  /** Fisher–Yates shuffle in place: every permutation equally likely (Knuth, TAOCP 3.4.2 P). */
  shuffle<T>(items: T[]): void {
    for (let i = items.length - 1; i > 0; i -= 1) {
      const j = this.below(i + 1);
      const held = items[i] as T;
      items[i] = items[j] as T;
      items[j] = held;
    }
  }

  /** Zeroes the unused part of the batch so no raw randomness stays in memory. */
  dispose(): void {
    this.words.fill(0);
    this.next = BUFFER_WORDS;
  }
}
