import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deriveArgon2id,
  deriveArgon2idWith,
  fromHex,
  setArgon2Backend,
  toHex,
  utf8,
  type Argon2Params,
} from '../../../../shared/crypto/index.ts';
import { installInProcessArgon2 } from './helpers/argon2-wasm.ts';

const fill = (length: number, byte: number) => new Uint8Array(length).fill(byte);

describe('Argon2id through argon2-browser (SIMD build)', () => {
  beforeEach(installInProcessArgon2);
  afterEach(() => setArgon2Backend(undefined));

  it(
    'reproduces the RFC 9106 §5.3 Argon2id test ' + 'vector (with secret and associated data)',
    async () => {
      const tag = await deriveArgon2idWith({
        password: fill(32, 0x01),
        salt: fill(16, 0x02),
        secret: fill(8, 0x03),
        associatedData: fill(12, 0x04),
        params: { memoryKiB: 32, passes: 3, lanes: 4, length: 32 },
      });
      expect(toHex(tag)).toBe('0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659');
    },
  );

  it('matches a value computed with the argon2 npm package (small parameters)', async () => {
    // Computed once with argon2.hash(..., { raw: true, type: argon2id }); argon2-node.test.ts
    // re-checks the same agreement on fresh random inputs in Node.
    const tag = await deriveArgon2id(
      utf8('correct horse battery staple'),
      utf8('alice@example.com'),
      {
        memoryKiB: 256,
        passes: 2,
        lanes: 2,
        length: 32,
      },
    );
    expect(toHex(tag)).toBe(KNOWN_SMALL);
  });

  it('gives different keys for different passwords, salts and parameters', async () => {
    const params: Argon2Params = { memoryKiB: 64, passes: 1, lanes: 1, length: 32 };
    const salt = fill(16, 9);
    const base = toHex(await deriveArgon2id(utf8('alice'), salt, params));
    expect(toHex(await deriveArgon2id(utf8('alicf'), salt, params))).not.toBe(base);
    expect(toHex(await deriveArgon2id(utf8('alice'), fill(16, 8), params))).not.toBe(base);
    expect(toHex(await deriveArgon2id(utf8('alice'), salt, { ...params, passes: 2 }))).not.toBe(
      base,
    );
    expect(toHex(await deriveArgon2id(utf8('alice'), salt, params))).toBe(base);
  });

  it('rejects structurally invalid parameters before deriving', async () => {
    const ok: Argon2Params = { memoryKiB: 64, passes: 1, lanes: 1, length: 32 };
    const salt = fill(16, 1);
    const bad: Argon2Params[] = [
      { ...ok, memoryKiB: 7 },
      { ...ok, lanes: 4, memoryKiB: 31 },
      { ...ok, passes: 0 },
      { ...ok, lanes: 0 },
      { ...ok, length: 3 },
      { ...ok, memoryKiB: 64.5 },
      { ...ok, memoryKiB: 4 * 1024 * 1024 },
    ];
    for (const params of bad) {
      await expect(deriveArgon2id(utf8('alice'), salt, params)).rejects.toMatchObject({
        code: 'invalid_input',
      });
    }
    await expect(deriveArgon2id(utf8('alice'), fill(7, 1), ok)).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('salt'),
    });
  });
});

describe('Argon2id without a backend', () => {
  it('refuses instead of falling back to something weaker', async () => {
    setArgon2Backend(undefined);
    await expect(
      deriveArgon2id(utf8('alice'), fill(16, 1), {
        memoryKiB: 64,
        passes: 1,
        lanes: 1,
        length: 32,
      }),
    ).rejects.toMatchObject({ code: 'crypto_kdf_unavailable' });
  });

  it('rejects a backend answer of the wrong length', async () => {
    setArgon2Backend(async () => fromHex('00'));
    await expect(
      deriveArgon2id(utf8('alice'), fill(16, 1), {
        memoryKiB: 64,
        passes: 1,
        lanes: 1,
        length: 32,
      }),
    ).rejects.toMatchObject({ code: 'crypto_kdf_unavailable' });
    setArgon2Backend(undefined);
  });
});

const KNOWN_SMALL = '9ba06a13239936f27b5715b925580820d6ed3af4c572e98a150be7d1168bc3d4';
