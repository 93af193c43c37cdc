import { beforeAll, describe, expect, it } from 'vitest';
import {
  fromBase64Url,
  fromHex,
  fromUtf8,
  randomId,
  toHex,
  utf8,
} from '../../../../shared/crypto/index.ts';
import {
  completeRedemption,
  createAppKey,
  createFolderKey,
  decryptRecord,
  encryptRecord,
  grantFolderToApp,
  importDeviceAppKey,
  mintDeviceToken,
  openFolderGrant,
  prepareRedemption,
  signDeviceRequest,
  verifyDeviceRequest,
  type MintOptions,
  type Vault,
} from '../../../../shared/keys/index.ts';
import {
  parseRequestHeaders,
  verifyBindProof,
  type RedemptionResponse,
} from '../../../../shared/protocol/index.ts';
import vector from '../../../fixtures/protocol/account.json';
import { rejectedCode } from '../protocol/helpers/errors.ts';
import { newAccount, useRealArgon2 } from './helpers/setup.ts';

useRealArgon2();

const NOW = 1_800_000_000;
let vault: Vault;
beforeAll(async () => {
  ({ vault } = await newAccount());
});

async function mintFor(
  appId: string,
  wrappedAppKey: Uint8Array,
  change: Partial<MintOptions> = {},
) {
  return mintDeviceToken(vault, {
    origin: 'https://vault.example.com',
    appId,
    appKeyVersion: 1,
    wrappedAppKey,
    name: 'CI runner',
    firstAccessDeadline: NOW + 3600,
    ipRule: { type: 'first-use' },
    nowSeconds: NOW,
    ...change,
  });
}

describe('issuing and redeeming a device token', () => {
  it('gives the device the app key, and through a grant the folder and its records', async () => {
    const appId = randomId();
    const folderId = randomId();
    const app = await createAppKey(vault, appId, 1);
    const folder = await createFolderKey(vault, folderId, 1);
    const binding = {
      folderId,
      recordId: randomId(),
      keyVersion: 1,
      revision: 1,
      schemaVersion: 1,
    };
    const sealedRecord = await encryptRecord(folder.key, binding, utf8('db password'));
    const grantBinding = { appId, appKeyVersion: 1, folderId, folderKeyVersion: 1 };
    const grant = await grantFolderToApp(vault, {
      ...grantBinding,
      wrappedFolderKey: folder.wrapped,
    });

    // Manager: mint. The server receives only the registration.
    const { token, registration } = await mintFor(appId, app.wrapped);
    expect(JSON.stringify(registration)).not.toContain(token.slice(10, 53));

    // Device: prepare. Server: check the bind proof with the registered key, answer.
    const { pending, request } = await prepareRedemption(`${token}\n`);
    expect(request.deviceId).toBe(registration.deviceId);
    const proofOk = await verifyBindProof(
      fromBase64Url(registration.bindProofKey),
      {
        deviceId: request.deviceId,
        signingPublicKey: fromBase64Url(request.signingPublicKey),
        ecdhPublicKey: fromBase64Url(request.ecdhPublicKey),
      },
      fromBase64Url(request.proof),
    );
    expect(proofOk).toBe(true);
    const response: RedemptionResponse = {
      protocol: 1,
      deviceId: registration.deviceId,
      appId,
      appKeyVersion: 1,
      wrappedAppKey: registration.wrappedAppKey,
    };

    // Device: complete (the profile survives a JSON round trip, as on disk), open, decrypt.
    const profile = await completeRedemption(JSON.parse(JSON.stringify(pending)), response);
    expect(profile.origin).toBe('https://vault.example.com');
    const appKey = await importDeviceAppKey(profile);
    const folderKey = await openFolderGrant(appKey, grantBinding, grant);
    expect(fromUtf8(await decryptRecord(folderKey, binding, sealedRecord))).toBe('db password');
  });

  it('completes the vector redemption (wrapped by Node crypto) to the vector app key', async () => {
    const { pending } = await prepareRedemption(vector.redemption.token);
    const profile = await completeRedemption(pending, vector.redemption.response);
    expect(toHex(fromBase64Url(profile.appKey))).toBe(vector.redemption.appKeyHex);
    const appKey = await importDeviceAppKey(profile);
    const folderKey = await openFolderGrant(
      appKey,
      vector.folderGrant.binding,
      fromHex(vector.folderGrant.sealedHex),
    );
    const plain = await decryptRecord(
      folderKey,
      vector.record.binding,
      fromHex(vector.record.sealedHex),
    );
    expect(fromUtf8(plain)).toBe(vector.record.plaintext);
  });

  it('refuses an answer for another device or with an app key moved from another app', async () => {
    const { pending } = await prepareRedemption(vector.redemption.token);
    const other = { ...vector.redemption.response, deviceId: randomId() };
    expect(await rejectedCode(completeRedemption(pending, other))).toBe('invalid_input');
    const moved = { ...vector.redemption.response, appId: randomId() };
    expect(await rejectedCode(completeRedemption(pending, moved))).toBe('crypto_integrity_failed');
    const older = { ...vector.redemption.response, appKeyVersion: 2 };
    expect(await rejectedCode(completeRedemption(pending, older))).toBe('crypto_integrity_failed');
  });

  it('catches a mistyped token before anything is generated or sent', async () => {
    const token = vector.redemption.token;
    const typo = `${token.slice(0, 20)}${token[20] === 'A' ? 'B' : 'A'}${token.slice(21)}`;
    expect(await rejectedCode(prepareRedemption(typo))).toBe('token_checksum_mismatch');
  });

  it('refuses to mint with a bad deadline, IP rule or the wrong app key', async () => {
    const appId = randomId();
    const app = await createAppKey(vault, appId, 1);
    expect(await rejectedCode(mintFor(appId, app.wrapped, { firstAccessDeadline: NOW }))).toBe(
      'invalid_input',
    );
    expect(
      await rejectedCode(mintFor(appId, app.wrapped, { firstAccessDeadline: NOW + 86_401 })),
    ).toBe('invalid_input');
    expect(
      await rejectedCode(
        mintFor(appId, app.wrapped, { ipRule: { type: 'cidr', allow: ['10.0.0.0/33'] } }),
      ),
    ).toBe('invalid_input');
    expect(await rejectedCode(mintFor(randomId(), app.wrapped))).toBe('crypto_integrity_failed');
  });

  it('mints a different token, device id and wrap every time', async () => {
    const appId = randomId();
    const app = await createAppKey(vault, appId, 1);
    const [a, b] = await Promise.all([mintFor(appId, app.wrapped), mintFor(appId, app.wrapped)]);
    expect(a.token).not.toBe(b.token);
    expect(a.registration.deviceId).not.toBe(b.registration.deviceId);
    expect(a.registration.bindProofKey).not.toBe(b.registration.bindProofKey);
  });
});

describe('signed device requests (DT-07)', () => {
  async function device() {
    const { pending } = await prepareRedemption(vector.redemption.token);
    return {
      deviceId: pending.deviceId,
      signingPrivateKey: fromBase64Url(pending.signing.privateKey),
      signingPublicKey: fromBase64Url(pending.signing.publicKey),
    };
  }
  const request = {
    method: 'PUT',
    pathWithQuery: '/v1/records/abc?expectedRevision=4',
    host: 'vault.example.com',
    body: utf8('{"revision":5}'),
  };

  it('verifies a request signed by the device', async () => {
    const d = await device();
    const headers = await signDeviceRequest(d, request, NOW);
    const auth = parseRequestHeaders(headers);
    await expect(
      verifyDeviceRequest(auth, request, d.signingPublicKey, NOW + 10),
    ).resolves.toBeUndefined();
  });

  it.each([
    ['a changed body with the old signature', { body: utf8('{"revision":6}') }],
    ['another path', { pathWithQuery: '/v1/records/abd?expectedRevision=4' }],
    ['another method', { method: 'DELETE' }],
    ['another host', { host: 'evil.example.com' }],
  ])('refuses %s as bad_signature', async (_what, change) => {
    const d = await device();
    const auth = parseRequestHeaders(await signDeviceRequest(d, request, NOW));
    expect(
      await rejectedCode(
        verifyDeviceRequest(auth, { ...request, ...change }, d.signingPublicKey, NOW),
      ),
    ).toBe('bad_signature');
  });

  it('refuses a changed nonce or timestamp header, and another device key', async () => {
    const d = await device();
    const auth = parseRequestHeaders(await signDeviceRequest(d, request, NOW));
    const verify = (changed: typeof auth, key = d.signingPublicKey) =>
      rejectedCode(verifyDeviceRequest(changed, request, key, NOW));
    expect(await verify({ ...auth, nonce: randomId() })).toBe('bad_signature');
    expect(await verify({ ...auth, timestamp: NOW + 1 })).toBe('bad_signature');
    const other = await prepareRedemption(vector.redemption.token);
    expect(await verify(auth, fromBase64Url(other.pending.signing.publicKey))).toBe(
      'bad_signature',
    );
  });

  it('refuses timestamps 10 minutes off either way as stale', async () => {
    const d = await device();
    const auth = parseRequestHeaders(await signDeviceRequest(d, request, NOW));
    for (const serverNow of [NOW + 600, NOW - 600, NOW + 301]) {
      expect(
        await rejectedCode(verifyDeviceRequest(auth, request, d.signingPublicKey, serverNow)),
      ).toBe('stale_timestamp');
    }
    await expect(
      verifyDeviceRequest(auth, request, d.signingPublicKey, NOW + 300),
    ).resolves.toBeUndefined();
  });

  it('uses a fresh nonce for every request', async () => {
    const d = await device();
    const nonces = new Set<string>();
    for (let i = 0; i < 20; i += 1) {
      nonces.add((await signDeviceRequest(d, request, NOW))['coffer-nonce'] ?? '');
    }
    expect(nonces.size).toBe(20);
  });
});
