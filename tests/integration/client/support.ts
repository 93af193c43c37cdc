import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { setArgon2Backend } from '../../../shared/crypto/index.ts';
import type { KdfParams } from '../../../shared/keys/index.ts';
import { VaultClient, type FetchLike } from '../../../shared/client/index.ts';
import { installInProcessArgon2 } from '../../unit/shared/crypto/helpers/argon2-wasm.ts';
import { DATABASES } from '../server/support/databases.ts';
import { startHarness, type Harness } from '../server/support/harness.ts';

/** The floor (19 MiB, 2 passes, 1 lane): the cheapest parameters unlock accepts. */
export const FAST_KDF: KdfParams = {
  algorithm: 'argon2id',
  memoryKiB: 19 * 1024,
  passes: 2,
  lanes: 1,
};

const sqlite = DATABASES.find((target) => target.name === 'sqlite');

/** A real server on SQLite with the configurable test issuer, and real Argon2id, per file. */
export function useServer(): () => Harness {
  let harness: Harness | undefined;
  beforeAll(async () => {
    installInProcessArgon2();
    if (!sqlite) throw new Error('no SQLite target');
    harness = await startHarness(sqlite);
  });
  afterAll(async () => {
    setArgon2Backend(undefined);
    await harness?.close();
  });
  return () => {
    if (!harness) throw new Error('server not started');
    return harness;
  };
}

/** A user's subject at the test issuer, unique per call. */
export function newSubject(): string {
  return `alice-${randomBytes(6).toString('hex')}`;
}

/** A client signed in as `subject` through the client's own nonce and the test issuer. */
export async function signedInClient(
  h: Harness,
  subject: string,
  fetchImpl?: FetchLike,
  pageSize?: number,
): Promise<VaultClient> {
  const client = new VaultClient({
    serverUrl: h.server.url,
    kdf: FAST_KDF,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
    ...(pageSize ? { pageSize } : {}),
  });
  const nonce = await client.session.loginNonce();
  const idToken = await h.issuer.mint(nonce, { claims: { sub: subject } });
  await client.session.signIn(idToken);
  return client;
}

/** A signed-in, enrolled and synced client with a fresh account and master password. */
export async function enrolledClient(h: Harness) {
  const subject = newSubject();
  const masterPassword = `correct horse ${randomBytes(6).toString('hex')}`;
  const client = await signedInClient(h, subject);
  await client.enrol(masterPassword);
  await client.sync();
  return { client, subject, masterPassword };
}

/** A second device of the same user, unlocked and synced. */
export async function secondDevice(
  h: Harness,
  subject: string,
  masterPassword: string,
  fetchImpl?: FetchLike,
): Promise<VaultClient> {
  const client = await signedInClient(h, subject, fetchImpl);
  await client.unlock(masterPassword);
  await client.sync();
  return client;
}

export function login(title: string, extra: Record<string, unknown> = {}) {
  return { type: 'login' as const, schemaVersion: 1 as const, title, ...extra };
}
