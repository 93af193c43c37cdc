import { afterAll, beforeAll } from 'vitest';
import { randomId, setArgon2Backend } from '../../../../../shared/crypto/index.ts';
import { createAccount, type KdfParams } from '../../../../../shared/keys/index.ts';
import { installInProcessArgon2 } from '../../crypto/helpers/argon2-wasm.ts';

/** The floor itself (19 MiB, 2 passes, 1 lane): the cheapest parameters unlock accepts. */
export const FAST_KDF: KdfParams = {
  algorithm: 'argon2id',
  memoryKiB: 19 * 1024,
  passes: 2,
  lanes: 1,
};

/** Installs the real in-process Argon2id (argon2-browser SIMD) for the file's tests. */
export function useRealArgon2(): void {
  beforeAll(installInProcessArgon2);
  afterAll(() => setArgon2Backend(undefined));
}

/** A fresh account at the floor parameters, with a generated master password. */
export async function newAccount(masterPassword = `pw-${randomId()}`) {
  const accountId = randomId();
  const account = await createAccount({ accountId, masterPassword, kdf: FAST_KDF });
  return { ...account, accountId, masterPassword };
}
