import type * as Argon2Native from 'argon2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deriveArgon2id, setArgon2Backend, toHex } from '../../../../shared/crypto/index.ts';
import { installInProcessArgon2 } from './helpers/argon2-wasm.ts';

// Cross-check against the native `argon2` npm package (the benchmark baseline) on fresh random
// inputs: Node-only, the package is a native addon. Its name sits in a variable so the Chromium
// bundle never resolves it.
const inNode = typeof window === 'undefined';
const argon2Name = 'argon2';

describe.skipIf(!inNode)('argon2-browser agrees with the argon2 npm package', () => {
  beforeEach(installInProcessArgon2);
  afterEach(() => setArgon2Backend(undefined));

  it.each([
    { memoryKiB: 64, passes: 1, lanes: 1, length: 32 },
    { memoryKiB: 512, passes: 3, lanes: 4, length: 32 },
    { memoryKiB: 1024, passes: 2, lanes: 2, length: 64 },
  ])('on random inputs at m=$memoryKiB t=$passes p=$lanes', async (params) => {
    const argon2 = (await import(/* @vite-ignore */ argon2Name)) as typeof Argon2Native;
    const password = crypto.getRandomValues(new Uint8Array(24));
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const expected = await argon2.hash(Buffer.from(password), {
      raw: true,
      type: argon2.argon2id,
      memoryCost: params.memoryKiB,
      timeCost: params.passes,
      parallelism: params.lanes,
      hashLength: params.length,
      salt: Buffer.from(salt),
    });
    expect(toHex(await deriveArgon2id(password, salt, params))).toBe(expected.toString('hex'));
  });
});
