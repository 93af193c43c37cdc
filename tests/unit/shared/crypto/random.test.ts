import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  generateAeadKeyBytes,
  importAeadKey,
  randomBytes,
  randomId,
  runRngSelfTest,
  seal,
  utf8,
} from '../../../../shared/crypto/index.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

function stubRng(fill: (target: Uint8Array) => void) {
  vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation((target) => {
    fill(target as unknown as Uint8Array);
    return target;
  });
}

describe('randomBytes', () => {
  it('returns the requested length, beyond the 65,536-byte WebCrypto limit too', () => {
    for (const length of [0, 1, 12, 32, 65536, 65537, 200_000]) {
      expect(randomBytes(length)).toHaveLength(length);
    }
  });

  it('fills large outputs completely (no zero tail after the first chunk)', () => {
    const bytes = randomBytes(3 * 65536 + 5);
    const tail = bytes.subarray(2 * 65536);
    expect(tail.some((byte) => byte !== 0)).toBe(true);
    expect(bytes.subarray(bytes.length - 64).some((byte) => byte !== 0)).toBe(true);
  });

  it('gives different values on each call', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i += 1) seen.add(randomBytes(16).join(','));
    expect(seen.size).toBe(1000);
  });

  it.each([-1, 1.5, Number.NaN, 2 ** 31])('rejects length %s', (length) => {
    expect(() => randomBytes(length)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});

describe('RNG health tests (CR-02)', () => {
  it('self-test refuses a generator stuck on a constant', () => {
    stubRng((target) => target.fill(0x42));
    expect(() => runRngSelfTest()).toThrow(expect.objectContaining({ code: 'crypto_rng_failure' }));
  });

  it('self-test refuses a generator that repeats the same block', () => {
    const block = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
    stubRng((target) => target.set(block.subarray(0, target.length)));
    expect(() => runRngSelfTest()).toThrow(expect.objectContaining({ code: 'crypto_rng_failure' }));
  });

  it('a generator that does nothing (all zeros) stops key generation and sealing', async () => {
    const key = await importAeadKey(generateAeadKeyBytes());
    stubRng(() => undefined);
    expect(() => generateAeadKeyBytes()).toThrow(
      expect.objectContaining({ code: 'crypto_rng_failure' }),
    );
    await expect(seal(key, utf8('secret'), utf8('aad'))).rejects.toMatchObject({
      code: 'crypto_rng_failure',
    });
    expect(key.sealCount).toBe(1);
  });

  it('reports a throwing generator as an RNG failure', () => {
    vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation(() => {
      throw new Error('entropy source unavailable');
    });
    expect(() => randomBytes(16)).toThrow(expect.objectContaining({ code: 'crypto_rng_failure' }));
  });

  it('passes again once the generator is healthy', () => {
    stubRng((target) => target.fill(1));
    expect(() => runRngSelfTest()).toThrow();
    vi.restoreAllMocks();
    expect(() => runRngSelfTest()).not.toThrow();
    expect(randomBytes(32)).toHaveLength(32);
  });
});

describe('randomId', () => {
  it('is 22 base64url characters and never starts with "-" over 20,000 draws', () => {
    const seen = new Set<string>();
    const firstChars = new Set<string>();
    for (let i = 0; i < 20_000; i += 1) {
      const id = randomId();
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{20}[AQgw]$/);
      seen.add(id);
      firstChars.add(id[0]!);
    }
    expect(seen.size).toBe(20_000);
    // '_' and the other 62 characters still occur first: only '-' is excluded.
    expect(firstChars.size).toBe(63);
  });

  it('redraws when the first character would be "-"', () => {
    let call = 0;
    const real = globalThis.crypto.getRandomValues.bind(globalThis.crypto);
    vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation((target) => {
      real(target);
      const bytes = target as unknown as Uint8Array;
      // 0xf8 >> 2 = 62, the index of '-': force it on the first id draw only.
      if (bytes.length === 16 && call++ === 0) bytes[0] = 0xf8;
      return target;
    });
    const id = randomId();
    expect(call).toBeGreaterThanOrEqual(2);
    expect(id.startsWith('-')).toBe(false);
  });
});
