import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from './support/databases.ts';
import { fakeBlob, startHarness } from './support/harness.ts';
import type { Harness } from './support/harness.ts';

function enrolment() {
  return {
    kdf: { algorithm: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 4 },
    salt: fakeBlob('salt').slice(0, 22),
    wrappedUserKey: fakeBlob('KEYSENTINEL'),
    publicKeys: { ecdh: fakeBlob('pub'), ecdsa: fakeBlob('pub') },
    wrappedPrivateKeys: { ecdh: fakeBlob('KEYSENTINEL'), ecdsa: fakeBlob('KEYSENTINEL') },
  };
}

describe.each(DATABASES)('account keys on $name', (target) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(target);
  });
  afterAll(() => h.close());

  it(
    'enrols once, fetches back exactly what ' + 'was stored, and refuses a second enrolment',
    async () => {
      const { token } = await h.signIn('keys-user');
      expect((await h.api('GET', '/api/v1/account/keys', { token })).body['code']).toBe(
        'not_found',
      );
      const keys = enrolment();
      const created = await h.api('POST', '/api/v1/account/keys', { token, body: keys });
      expect(created.status).toBe(201);
      const fetched = await h.api('GET', '/api/v1/account/keys', { token });
      expect(fetched.body).toEqual({ ...keys, revision: 1 });
      const again = await h.api('POST', '/api/v1/account/keys', { token, body: enrolment() });
      expect(again.status).toBe(409);
      expect(again.body['code']).toBe('account_keys_exist');
      expect((await h.api('GET', '/api/v1/account/keys', { token })).body).toEqual({
        ...keys,
        revision: 1,
      });
    },
  );

  it('reports existing keys at the next sign-in', async () => {
    const { token } = await h.signIn('returning-user');
    await h.api('POST', '/api/v1/account/keys', { token, body: enrolment() });
    const idToken = await h.issuer.mint(await h.nonce(), { claims: { sub: 'returning-user' } });
    const session = await h.api('POST', '/api/v1/auth/session', { body: { idToken } });
    expect(session.body['hasAccountKeys']).toBe(true);
  });

  it(
    'changes the master password as a ' + 'compare-and-swap: one of two racing changes wins',
    async () => {
      const { token } = await h.signIn('password-user');
      const keys = enrolment();
      await h.api('POST', '/api/v1/account/keys', { token, body: keys });
      const change = () => ({
        revision: 2,
        kdf: { algorithm: 'argon2id', memoryKiB: 131072, iterations: 4, parallelism: 2 },
        salt: fakeBlob('salt2').slice(0, 22),
        wrappedUserKey: fakeBlob('rewrapped'),
      });
      const [a, b] = [change(), change()];
      const results = await Promise.all([
        h.api('PUT', '/api/v1/account/keys/password', { token, body: a }),
        h.api('PUT', '/api/v1/account/keys/password', { token, body: b }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const loser = results.find((r) => r.status === 409);
      expect(loser?.body['code']).toBe('revision_conflict');
      expect(loser?.body['currentRevision']).toBe(2);
      const winner = results[0]?.status === 200 ? a : b;
      const stored = await h.api('GET', '/api/v1/account/keys', { token });
      expect(stored.body).toEqual({
        ...keys,
        revision: 2,
        kdf: winner.kdf,
        salt: winner.salt,
        wrappedUserKey: winner.wrappedUserKey,
      });
    },
  );

  it.each([
    [
      'a KDF below the floor',
      { kdf: { algorithm: 'argon2id', memoryKiB: 1024, iterations: 1, parallelism: 1 } },
      'kdf.memoryKiB',
    ],
    [
      'another KDF',
      { kdf: { algorithm: 'pbkdf2', memoryKiB: 65536, iterations: 3, parallelism: 4 } },
      'kdf.algorithm',
    ],
    ['a blob that is not base64url', { wrappedUserKey: 'not base64!' }, 'wrappedUserKey'],
    ['an oversized blob', { wrappedUserKey: 'A'.repeat(10_000) }, 'wrappedUserKey'],
    ['an unknown member', { extra: 1 }, 'extra'],
  ])(
    'refuses enrolment with %s, naming the field and changing nothing',
    async (_name, patch, field) => {
      const { token } = await h.signIn(`bad-keys-${field}`);
      const response = await h.api('POST', '/api/v1/account/keys', {
        token,
        body: { ...enrolment(), ...patch },
      });
      expect(response.status).toBe(400);
      expect(response.body['code']).toBe('invalid_input');
      expect(response.body['detail']).toContain(field);
      expect(response.text).not.toContain('not base64!');
      expect((await h.api('GET', '/api/v1/account/keys', { token })).status).toBe(404);
    },
  );

  it('OA-08: a valid IdP session returns only ciphertext and KDF parameters', async () => {
    const { token } = await h.signIn('victim');
    const keys = enrolment();
    await h.api('POST', '/api/v1/account/keys', { token, body: keys });
    const fetched = await h.api('GET', '/api/v1/account/keys', { token });
    expect(Object.keys(fetched.body).sort()).toEqual(
      ['kdf', 'publicKeys', 'revision', 'salt', 'wrappedPrivateKeys', 'wrappedUserKey'].sort(),
    );
  });
});
