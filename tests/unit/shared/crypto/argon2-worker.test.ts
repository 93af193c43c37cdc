import { afterEach, describe, expect, it } from 'vitest';
import {
  deriveArgon2id,
  deriveArgon2idWith,
  setArgon2Backend,
  toHex,
  utf8,
} from '../../../../shared/crypto/index.ts';

// The worker backend needs Web Workers and Vite's ?worker import: Chromium project only. Node
// runs the same derivations in-process (argon2.test.ts).
const inBrowser = typeof window !== 'undefined';
const fill = (length: number, byte: number) => new Uint8Array(length).fill(byte);

async function client() {
  return import('../../../../renderer/src/platform/argon2-client.ts');
}

describe.skipIf(!inBrowser)('Argon2id in a Web Worker (renderer backend)', () => {
  afterEach(() => setArgon2Backend(undefined));

  it('reproduces the RFC 9106 §5.3 vector and leaves no worker alive', async () => {
    const { installWorkerArgon2, liveArgon2Workers } = await client();
    installWorkerArgon2();
    const pending = deriveArgon2idWith({
      password: fill(32, 0x01),
      salt: fill(16, 0x02),
      secret: fill(8, 0x03),
      associatedData: fill(12, 0x04),
      params: { memoryKiB: 32, passes: 3, lanes: 4, length: 32 },
    });
    expect(liveArgon2Workers()).toBe(1);
    expect(toHex(await pending)).toBe(
      '0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659',
    );
    expect(liveArgon2Workers()).toBe(0);
  });

  it('runs parallel derivations in separate workers, each terminated afterwards', async () => {
    const { installWorkerArgon2, liveArgon2Workers } = await client();
    installWorkerArgon2();
    const params = { memoryKiB: 1024, passes: 1, lanes: 1, length: 32 };
    const salt = utf8('alice@example.com');
    const [a, b, c] = await Promise.all([
      deriveArgon2id(utf8('alice'), salt, params),
      deriveArgon2id(utf8('bob'), salt, params),
      deriveArgon2id(utf8('alice'), salt, params),
    ]);
    expect(toHex(a!)).toBe(toHex(c!));
    expect(toHex(a!)).not.toBe(toHex(b!));
    expect(liveArgon2Workers()).toBe(0);
  });

  it('reports a derivation the wasm cannot run with a coded error', async () => {
    const { createWorkerArgon2Backend, liveArgon2Workers } = await client();
    const backend = createWorkerArgon2Backend();
    // Bypasses deriveArgon2id's validation to prove the worker validates its own input.
    await expect(
      backend({
        password: utf8('alice'),
        salt: fill(16, 1),
        params: { memoryKiB: 1, passes: 1, lanes: 1, length: 32 },
      }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    expect(liveArgon2Workers()).toBe(0);
  });
});
