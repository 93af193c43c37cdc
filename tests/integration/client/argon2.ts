import { afterAll, beforeAll } from 'vitest';
import { setArgon2Backend } from '../../../shared/crypto/index.ts';
import { installInProcessArgon2 } from '../../unit/shared/crypto/helpers/argon2-wasm.ts';

/** Real Argon2id for a file that needs keys but no server. */
export function useRealArgon2Only(): void {
  beforeAll(installInProcessArgon2);
  afterAll(() => setArgon2Backend(undefined));
}
