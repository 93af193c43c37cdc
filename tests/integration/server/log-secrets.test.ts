import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomId, utf8 } from '../../../shared/crypto/index.ts';
import { prepareRedemption } from '../../../shared/keys/index.ts';
import { DEVICE_ROUTES, deviceVaultPath } from '../../../shared/protocol/device-api.ts';
import { DATABASES } from './support/databases.ts';
import { TestDevice, TestManager, send } from './support/devices.ts';
import { fakeBlob, startHarness } from './support/harness.ts';
import type { Harness } from './support/harness.ts';

/**
 * Issue #3 item 10: whatever the server logs — at its most verbose level, across a whole
 * scenario with refusals — holds no token, signature, nonce, session id or body. Every secret the
 * scenario sends is collected and searched for in the captured log.
 */
describe.each(DATABASES)('server log on $name', (target) => {
  let h: Harness;
  const secrets = new Map<string, string>();
  const keep = (what: string, value: string) => secrets.set(`${what}#${secrets.size}`, value);

  beforeAll(async () => {
    h = await startHarness(target, { logLevel: 'trace' });

    // A user signs in: the login nonce, the ID token and the session token are secrets.
    const nonce = await h.nonce();
    keep('login nonce', nonce);
    const idToken = await h.issuer.mint(nonce, { claims: { sub: 'log-user' } });
    keep('id token', idToken);
    const session = await h.api('POST', '/api/v1/auth/session', { body: { idToken } });
    expect(session.status).toBe(201);
    const token = session.body['token'] as string;
    keep('session token', token);
    keep('session id', createHash('sha256').update(token).digest('hex'));
    keep('session id', createHash('sha256').update(token).digest('base64url'));
    const stored = await h.db.all<{ token_hash: string }>('SELECT token_hash FROM sessions');
    for (const row of stored) keep('stored session id', row.token_hash);

    // A manager builds a vault, an application and a device; bodies carry sentinel ciphertext.
    const alice = await TestManager.signIn(h, 'alice');
    keep('session token', alice.token);
    const enrolment = {
      kdf: { algorithm: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 4 },
      salt: fakeBlob('SALTSENTINEL').slice(0, 22),
      wrappedUserKey: fakeBlob('KEYSENTINEL'),
      publicKeys: { ecdh: fakeBlob('PUBSENTINEL'), ecdsa: fakeBlob('PUBSENTINEL') },
      wrappedPrivateKeys: { ecdh: fakeBlob('KEYSENTINEL'), ecdsa: fakeBlob('KEYSENTINEL') },
    };
    expect((await alice.api('POST', '/api/v1/account/keys', enrolment)).status).toBe(201);
    keep('wrapped user key', enrolment.wrappedUserKey);
    keep('wrapped private key', enrolment.wrappedPrivateKeys.ecdsa);
    const folder = await alice.folder('Sentinel folder');
    const app = await alice.app('Sentinel app');
    expect((await alice.grant(app, folder, 'editable')).status).toBe(200);
    const recordBlob = fakeBlob('RECORDSENTINEL');
    keep('record body', recordBlob);
    const recordId = randomId();
    const created = await alice.api('POST', '/api/v1/vault/records', {
      id: recordId,
      folderId: folder.id,
      ciphertext: recordBlob,
      revision: 1,
    });
    expect(created.status).toBe(201);
    // A refused write still never logs its body.
    const refusedBlob = fakeBlob('REFUSEDSENTINEL');
    keep('refused body', refusedBlob);
    const stale = await alice.api('PUT', `/api/v1/vault/records/${recordId}`, {
      folderId: folder.id,
      ciphertext: refusedBlob,
      revision: 7,
    });
    expect(stale.status).toBeGreaterThanOrEqual(400);

    const minted = await alice.mint(app);
    expect(minted.response?.status).toBe(201);
    keep('device token', minted.token);
    const device = await TestDevice.redeem(h, minted.token);
    keep('device signing key', device.profile.signing.privateKey);

    // Signed requests: the signature and nonce headers are credentials.
    const path = deviceVaultPath();
    const headers = await device.sign('GET', path, new Uint8Array());
    for (const [name, value] of Object.entries(headers)) {
      if (/signature|nonce/i.test(name)) keep(`header ${name}`, value);
    }
    expect((await send(h.server.url, 'GET', path, { headers })).status).toBe(200);
    // The same request again is a replay; its refusal is logged, its headers are not.
    expect((await send(h.server.url, 'GET', path, { headers })).status).toBe(401);
    const writeBody = utf8(JSON.stringify({ ciphertext: fakeBlob('DEVICEBODYSENTINEL') }));
    keep('device body', new TextDecoder().decode(writeBody).slice(15, -2));
    const writeHeaders = await device.sign('POST', DEVICE_ROUTES.createRecord.path, writeBody);
    const bad = await send(h.server.url, 'POST', DEVICE_ROUTES.createRecord.path, {
      headers: writeHeaders,
      body: writeBody,
    });
    expect(bad.status).toBe(400);

    // A second redemption of the used token fails; its proof is a secret too.
    const again = await prepareRedemption(minted.token);
    keep('bind proof', again.request.proof);
    const refused = await send(h.server.url, 'POST', DEVICE_ROUTES.redeem.path, {
      body: utf8(JSON.stringify(again.request)),
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);

    // A bearer token that is wrong is still not logged.
    const forged = `forged-${randomId()}`;
    keep('forged bearer token', forged);
    expect((await h.api('GET', '/api/v1/vault/sync', { token: forged })).status).toBe(401);
    expect((await h.api('DELETE', '/api/v1/auth/session', { token })).status).toBe(204);
  });
  afterAll(() => h.close());

  it('logs the scenario, per subsystem, in structured lines', () => {
    const lines = h
      .logs()
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(20);
    const paths = new Set(lines.map((l) => (l['req'] as { path?: string } | undefined)?.path));
    expect(paths).toContain(DEVICE_ROUTES.vault.path);
    expect(paths).toContain('/api/v1/auth/session');
    const subsystems = new Set(lines.map((l) => l['subsystem']));
    expect(subsystems).toContain('db');
  });

  it('never writes a token, signature, nonce, session id, key or body to the log', () => {
    const log = h.logs();
    expect(secrets.size).toBeGreaterThan(15);
    const found = [...secrets].filter(([, value]) => log.includes(value)).map(([what]) => what);
    expect(found).toEqual([]);
    expect(log).not.toMatch(/SENTINEL/);
    // Bodies are base64url of "…SENTINEL-…": search for the encoded marker prefix as well.
    expect(log).not.toContain(Buffer.from('RECORDSENTINEL-').toString('base64url').slice(0, 16));
  });
});
