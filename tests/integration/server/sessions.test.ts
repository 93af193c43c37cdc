import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from './support/databases.ts';
import { startHarness } from './support/harness.ts';
import type { Harness } from './support/harness.ts';
import { providersResponse } from '../../../shared/client/wire.ts';
import { startTestIssuer } from './support/test-issuer.ts';

describe.each(DATABASES)('sessions on $name', (target) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(target);
  });
  afterAll(() => h.close());

  async function exchange(idToken: string) {
    return h.api('POST', '/api/v1/auth/session', { body: { idToken } });
  }

  it('issues single-use login nonces that expire', async () => {
    const response = await h.api('POST', '/api/v1/auth/nonce');
    expect(response.status).toBe(201);
    expect(response.body['nonce']).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(response.body['expiresAt']).toBeGreaterThan(Date.now());
  });

  it('lists the configured identity providers for the app', async () => {
    const response = await h.api('GET', '/api/v1/auth/providers');
    expect(response.body['providers']).toEqual([
      {
        issuer: h.issuer.issuer,
        clientIds: [h.issuer.clientId],
        desktopRedirect: 'per-attempt-path',
        pkce: 'advertised',
      },
    ]);
  });

  it('answers a provider’s configured display name, and only when one is set', async () => {
    const named = await startHarness(target, {
      identityProviders: [
        {
          name: ' Okta ',
          issuer: 'https://okta.example.com',
          clientIds: ['coffer-desktop'],
          allowedEmailDomains: ['example.com'],
        },
        {
          issuer: 'https://entra.example.com',
          clientIds: ['coffer-desktop'],
          allowedEmailDomains: ['example.com'],
        },
      ],
    });
    try {
      const response = await named.api('GET', '/api/v1/auth/providers');
      const [okta, entra] = providersResponse.parse(response.body).providers;
      expect(okta?.name).toBe('Okta');
      expect(entra).not.toHaveProperty('name');
    } finally {
      await named.close();
    }
  });

  it(
    'signs a verified user in with every allowed ' + 'algorithm and keys them on (iss, sub)',
    async () => {
      const ids = new Set<string>();
      for (const alg of ['ES256', 'RS256', 'PS256', 'EdDSA'] as const) {
        const idToken = await h.issuer.mint(await h.nonce(), { alg, claims: { sub: 'algo-user' } });
        const response = await exchange(idToken);
        expect(response.status, alg).toBe(201);
        expect(response.body['token']).toMatch(/^coffer_s_/);
        expect(response.body['hasAccountKeys']).toBe(false);
        ids.add(response.body['user'].id);
      }
      expect(ids.size).toBe(1);
    },
  );

  it('answers the session and ends it on sign-out', async () => {
    const { token, userId } = await h.signIn('signout-user');
    const me = await h.api('GET', '/api/v1/auth/session', { token });
    expect(me.status).toBe(200);
    expect(me.body['user']).toEqual({ id: userId, isAdmin: false });
    expect((await h.api('DELETE', '/api/v1/auth/session', { token })).status).toBe(204);
    const after = await h.api('GET', '/api/v1/auth/session', { token });
    expect(after.status).toBe(401);
    expect(after.headers.get('content-type')).toContain('application/problem+json');
    expect(after.body['code']).toBe('unauthenticated');
  });

  it('expires sessions by the server clock', async () => {
    const { token } = await h.signIn('expiring-user');
    h.clock.offsetMs = 8 * 3600 * 1000 + 1000;
    try {
      expect((await h.api('GET', '/api/v1/auth/session', { token })).status).toBe(401);
    } finally {
      h.clock.offsetMs = 0;
    }
  });

  it('refuses requests without a valid bearer token alike', async () => {
    for (const authorization of [undefined, 'Bearer nope', 'Basic abc', 'Bearer coffer_s_forged']) {
      const response = await h.api('GET', '/api/v1/vault/sync', {
        headers: authorization ? { authorization } : {},
      });
      expect(response.status).toBe(401);
      expect(response.body['code']).toBe('unauthenticated');
    }
  });

  it('makes admins from configured subjects and provisions by group', async () => {
    const admin = await h.signIn('admin-subject', { claims: { email: 'root@elsewhere.test' } });
    const me = await h.api('GET', '/api/v1/auth/session', { token: admin.token });
    expect(me.body['user'].isAdmin).toBe(true);
    const grouped = await h.signIn('group-user', {
      claims: { email: 'bob@other.test', groups: ['vault-users'] },
    });
    expect(grouped.token).toMatch(/^coffer_s_/);
  });

  // OA-04: each bad variant is refused with its own reason code, and nothing is persisted.
  const refusals: [string, (nonce: string) => Promise<string>, number, string][] = [
    ['alg none', async (n) => h.issuer.unsigned(n), 401, 'id_token_algorithm_refused'],
    [
      'HS256 keyed with the public key',
      (n) => h.issuer.hmacWithPublicKey(n),
      401,
      'id_token_algorithm_refused',
    ],
    [
      'a forged signature under a published kid',
      (n) => h.issuer.mint(n, { foreignKey: true }),
      401,
      'id_token_bad_signature',
    ],
    [
      'an unknown kid',
      (n) => h.issuer.mint(n, { foreignKey: true, kid: 'nope' }),
      401,
      'id_token_bad_signature',
    ],
    [
      'an issuer with a trailing slash',
      (n) => h.issuer.mint(n, { claims: { iss: `${h.issuer.issuer}/` } }),
      401,
      'id_token_unknown_issuer',
    ],
    [
      'another audience',
      (n) => h.issuer.mint(n, { claims: { aud: 'someone-else' } }),
      401,
      'id_token_audience_mismatch',
    ],
    [
      'an extra audience without azp',
      (n) => h.issuer.mint(n, { claims: { aud: [h.issuer.clientId, 'other'] } }),
      401,
      'id_token_audience_mismatch',
    ],
    [
      'an azp naming another client',
      (n) => h.issuer.mint(n, { claims: { aud: [h.issuer.clientId, 'other'], azp: 'other' } }),
      401,
      'id_token_audience_mismatch',
    ],
    [
      'exp just past the skew',
      (n) => h.issuer.mint(n, { iatOffset: -200, expOffset: -61 }),
      401,
      'id_token_expired',
    ],
    [
      'iat in the future beyond skew',
      (n) => h.issuer.mint(n, { iatOffset: 120 }),
      401,
      'id_token_issued_in_future',
    ],
    [
      'an iat older than a login nonce lives',
      (n) => h.issuer.mint(n, { iatOffset: -3600, expOffset: 600 }),
      401,
      'id_token_expired',
    ],
    [
      'no nonce',
      (n) => h.issuer.mint(n, { claims: { nonce: undefined } }),
      401,
      'id_token_malformed',
    ],
    [
      'a nonce this server never issued',
      () => h.issuer.mint('made-up-nonce'),
      401,
      'id_token_nonce_invalid',
    ],
    [
      'an unverified e-mail',
      (n) => h.issuer.mint(n, { claims: { email_verified: false } }),
      403,
      'email_not_verified',
    ],
    [
      'email_verified as a string',
      (n) => h.issuer.mint(n, { claims: { email_verified: 'true' } }),
      403,
      'email_not_verified',
    ],
    [
      'a domain not allowed',
      (n) => h.issuer.mint(n, { claims: { email: 'eve@evil.test' } }),
      403,
      'sign_in_not_allowed',
    ],
    [
      'a look-alike sub-domain',
      (n) => h.issuer.mint(n, { claims: { email: 'eve@mail.example.com' } }),
      403,
      'sign_in_not_allowed',
    ],
    ['garbage', () => Promise.resolve('not-a-jwt'), 401, 'id_token_malformed'],
  ];

  it.each(refusals)('refuses %s', async (_name, make, status, code) => {
    const idToken = await make(await h.nonce());
    const response = await exchange(idToken);
    expect(response.status).toBe(status);
    expect(response.body['code']).toBe(code);
    expect(response.body['token']).toBeUndefined();
    expect(response.text).not.toContain(idToken);
  });

  it('refuses a valid signature from another, unconfigured provider', async () => {
    const other = await startTestIssuer({ clientId: h.issuer.clientId });
    try {
      const response = await exchange(await other.mint(await h.nonce()));
      expect(response.body['code']).toBe('id_token_unknown_issuer');
    } finally {
      await other.close();
    }
  });

  it('refuses a replayed ID token: its nonce is spent', async () => {
    const idToken = await h.issuer.mint(await h.nonce(), { claims: { sub: 'replay-user' } });
    expect((await exchange(idToken)).status).toBe(201);
    const replay = await exchange(idToken);
    expect(replay.status).toBe(401);
    expect(replay.body['code']).toBe('id_token_nonce_invalid');
  });

  it('refuses a nonce past its lifetime', async () => {
    const nonce = await h.nonce();
    h.clock.offsetMs = 601_000;
    try {
      // The token itself is fresh by the server's clock; only the nonce is too old.
      const idToken = await h.issuer.mint(nonce, { iatOffset: 601, expOffset: 900 });
      expect((await exchange(idToken)).body['code']).toBe('id_token_nonce_invalid');
    } finally {
      h.clock.offsetMs = 0;
    }
  });

  it('refetches the JWKS when the provider rotates to an unknown kid', async () => {
    await h.issuer.rotate();
    const response = await exchange(
      await h.issuer.mint(await h.nonce(), { claims: { sub: 'rotated' } }),
    );
    expect(response.status).toBe(201);
  });

  it('lets exactly one of many racing exchanges of one token win', async () => {
    const idToken = await h.issuer.mint(await h.nonce(), { claims: { sub: 'racer' } });
    const results = await Promise.all(Array.from({ length: 8 }, () => exchange(idToken)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.body['code'] === 'id_token_nonce_invalid')).toHaveLength(7);
  });

  it('never writes ID tokens, session tokens or nonces to the log', async () => {
    const nonce = await h.nonce();
    const idToken = await h.issuer.mint(nonce, { claims: { sub: 'log-user' } });
    const session = await exchange(idToken);
    await h.api('GET', '/api/v1/auth/session', { token: session.body['token'] });
    const logs = h.logs();
    expect((await h.auditRows()).map((row) => row.type)).toContain('sign_in');
    for (const secret of [nonce, idToken, session.body['token'] as string]) {
      expect(logs).not.toContain(secret);
    }
  });
});
