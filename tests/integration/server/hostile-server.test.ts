import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fromBase64Url,
  fromUtf8,
  generateSigningKeyPair,
  toBase64Url,
  utf8,
} from '../../../shared/crypto/index.ts';
import { isCofferError } from '../../../shared/errors.ts';
import {
  RevisionTracker,
  assertPinnedPublicKey,
  decryptRecord,
  importDeviceAppKey,
  openFolderGrant,
  publicKeyFingerprint,
  signDeviceRequest,
  unlockAccount,
} from '../../../shared/keys/index.ts';
import {
  deviceVaultPath,
  deviceVaultResponseSchema,
  type DeviceVaultRecord,
  type DeviceVaultResponse,
} from '../../../shared/protocol/device-api.ts';
import { PROTOCOL_VERSION } from '../../../shared/protocol/version.ts';
import { startHostileProxy } from '../../support/hostile-proxy.ts';
import type { HostileProxy } from '../../support/hostile-proxy.ts';
import { DATABASES } from './support/databases.ts';
import { TestDevice, TestManager, send } from './support/devices.ts';
import type { TestApp, TestFolder } from './support/devices.ts';
import { fakeBlob, startHarness } from './support/harness.ts';
import type { Harness } from './support/harness.ts';

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'no error';
  } catch (error) {
    return isCofferError(error) ? error.code : String(error);
  }
}

/** The client half of a device: signed requests to whatever address it was told (the proxy). */
async function fetchVault(device: TestDevice, base: string): Promise<DeviceVaultResponse> {
  const path = deviceVaultPath();
  const headers = await signDeviceRequest(
    {
      deviceId: device.profile.deviceId,
      signingPrivateKey: fromBase64Url(device.profile.signing.privateKey),
    },
    { method: 'GET', pathWithQuery: path, host: new URL(base).host, body: new Uint8Array() },
    Math.floor(Date.now() / 1000),
  );
  const response = await send(base, 'GET', path, { headers });
  expect(response.status).toBe(200);
  return deviceVaultResponseSchema.parse(response.body);
}

/** What the CLI does with a fetched vault: track revisions, then decrypt under the binding. */
async function openRecords(
  device: TestDevice,
  vault: DeviceVaultResponse,
  tracker: RevisionTracker,
): Promise<string[]> {
  const appKey = await importDeviceAppKey(device.profile);
  const out: string[] = [];
  for (const record of vault.records) {
    tracker.observe(record.id, record.revision);
    const grant = vault.grants.find((g) => g.folderId === record.folderId);
    if (!grant) throw new Error('record outside the grants');
    const folderKey = await openFolderGrant(
      appKey,
      {
        appId: vault.appId,
        appKeyVersion: vault.appKeyVersion,
        folderId: grant.folderId,
        folderKeyVersion: grant.folderKeyVersion,
      },
      fromBase64Url(grant.wrappedFolderKey),
    );
    const binding = {
      folderId: record.folderId,
      recordId: record.id,
      keyVersion: record.keyVersion,
      revision: record.revision,
      schemaVersion: record.schemaVersion,
    };
    out.push(fromUtf8(await decryptRecord(folderKey, binding, fromBase64Url(record.ciphertext))));
  }
  return out;
}

describe.each(DATABASES)('H1 hostile server in front of the real server on $name', (target) => {
  let h: Harness;
  let proxy: HostileProxy;
  let alice: TestManager;
  let folder: TestFolder;
  let app: TestApp;
  let device: TestDevice;
  beforeAll(async () => {
    h = await startHarness(target);
    proxy = await startHostileProxy(h.server.url);
    alice = await TestManager.signIn(h, 'alice');
    folder = await alice.folder();
    app = await alice.app();
    expect((await alice.grant(app, folder, 'read-only')).status).toBe(200);
    await alice.record(folder, 'db-password-one');
    await alice.record(folder, 'db-password-two');
    const minted = await alice.mint(app);
    device = await TestDevice.redeem(h, minted.token);
  });
  afterAll(async () => {
    await proxy.close();
    await h.close();
  });

  it('passes an honest answer through, which decrypts (CR-03 control)', async () => {
    proxy.rewrite = undefined;
    const vault = await fetchVault(device, proxy.url);
    const plain = await openRecords(device, vault, new RevisionTracker());
    expect(plain.sort()).toEqual(['db-password-one', 'db-password-two']);
  });

  it('CR-03: two records with their ciphertexts swapped fail the integrity check', async () => {
    proxy.rewrite = ({ path, body }) => {
      if (!path.startsWith('/api/v1/device/vault')) return undefined;
      const vault = body as DeviceVaultResponse;
      const [a, b] = vault.records as [DeviceVaultRecord, DeviceVaultRecord];
      return {
        ...vault,
        records: [
          { ...a, ciphertext: b.ciphertext },
          { ...b, ciphertext: a.ciphertext },
        ],
      };
    };
    const vault = await fetchVault(device, proxy.url);
    expect(await codeOf(openRecords(device, vault, new RevisionTracker()))).toBe(
      'crypto_integrity_failed',
    );
  });

  it(
    'CR-03: a record moved into another folder ' + 'id or revision fails the integrity check',
    async () => {
      proxy.rewrite = ({ path, body }) => {
        if (!path.startsWith('/api/v1/device/vault')) return undefined;
        const vault = body as DeviceVaultResponse;
        return {
          ...vault,
          records: vault.records.map((r) => ({ ...r, revision: r.revision + 1 })),
        };
      };
      const vault = await fetchVault(device, proxy.url);
      expect(await codeOf(openRecords(device, vault, new RevisionTracker()))).toBe(
        'crypto_integrity_failed',
      );
    },
  );

  it('rollback: an older, genuine revision served after a newer one is refused', async () => {
    proxy.rewrite = undefined;
    const tracker = new RevisionTracker();
    const before = await fetchVault(device, proxy.url);
    const old = before.records[0]!;
    const updated = await alice.api('PUT', `/api/v1/vault/records/${old.id}`, {
      folderId: old.folderId,
      ciphertext: fakeBlob('rotated'),
      revision: old.revision + 1,
    });
    expect(updated.status).toBe(200);
    const latest = await fetchVault(device, proxy.url);
    for (const r of latest.records) tracker.observe(r.id, r.revision);
    expect(tracker.highestRevision(old.id)).toBe(old.revision + 1);
    proxy.rewrite = ({ path, body }) => {
      if (!path.startsWith('/api/v1/device/vault')) return undefined;
      const vault = body as DeviceVaultResponse;
      return { ...vault, records: vault.records.map((r) => (r.id === old.id ? old : r)) };
    };
    const replayed = await fetchVault(device, proxy.url);
    expect(replayed.records.find((r) => r.id === old.id)?.revision).toBe(old.revision);
    expect(await codeOf(openRecords(device, replayed, tracker))).toBe('record_rollback');
  });

  describe('account keys', () => {
    let token: string;
    let accountId: string;
    let pinned: string;
    beforeAll(async () => {
      const session = await h.signIn('keys-owner');
      token = session.token;
      accountId = session.userId;
      const [ecdh, ecdsa] = [await generateSigningKeyPair(), await generateSigningKeyPair()];
      pinned = await publicKeyFingerprint(ecdsa.publicKey);
      const enrolment = {
        kdf: { algorithm: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 4 },
        salt: toBase64Url(utf8('sixteen-byte-salt')),
        wrappedUserKey: fakeBlob('wrapped'),
        publicKeys: { ecdh: toBase64Url(ecdh.publicKey), ecdsa: toBase64Url(ecdsa.publicKey) },
        wrappedPrivateKeys: { ecdh: fakeBlob('wrapped'), ecdsa: fakeBlob('wrapped') },
      };
      const created = await h.api('POST', '/api/v1/account/keys', { token, body: enrolment });
      expect(created.status).toBe(201);
    });

    async function fetchKeys() {
      const response = await fetch(`${proxy.url}/api/v1/account/keys`, {
        headers: { authorization: `Bearer ${token}` },
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return (await response.json()) as Record<string, any>;
    }

    /** The app's view of the stored keys (shared/keys AccountKeys). */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    function asAccountKeys(stored: Record<string, any>) {
      return {
        protocol: PROTOCOL_VERSION,
        accountId,
        kdf: {
          algorithm: stored['kdf'].algorithm,
          memoryKiB: stored['kdf'].memoryKiB,
          passes: stored['kdf'].iterations,
          lanes: stored['kdf'].parallelism,
          salt: stored['salt'],
        },
        wrappedUserKey: stored['wrappedUserKey'],
        encryption: {
          publicKey: stored['publicKeys'].ecdh,
          wrappedPrivateKey: stored['wrappedPrivateKeys'].ecdh,
        },
        signing: {
          publicKey: stored['publicKeys'].ecdsa,
          wrappedPrivateKey: stored['wrappedPrivateKeys'].ecdsa,
        },
      };
    }

    it('CR-01: weak KDF parameters from the server are refused before any derivation', async () => {
      proxy.rewrite = ({ path, body }) =>
        path === '/api/v1/account/keys'
          ? {
              ...(body as object),
              kdf: { algorithm: 'argon2id', memoryKiB: 1024, iterations: 1, parallelism: 1 },
            }
          : undefined;
      const weak = await fetchKeys();
      expect(weak['kdf'].memoryKiB).toBe(1024);
      expect(await codeOf(unlockAccount(asAccountKeys(weak), 'correct horse battery'))).toBe(
        'kdf_parameters_too_weak',
      );
      proxy.rewrite = ({ path, body }) =>
        path === '/api/v1/account/keys' ? { ...(body as object), kdf: null } : undefined;
      expect(
        await codeOf(unlockAccount(asAccountKeys({ ...(await fetchKeys()), kdf: {} }), 'x')),
      ).toBe('kdf_parameters_too_weak');
    });

    it(
      'CR-06: a substituted public key does not ' + 'match the fingerprint pinned at enrolment',
      async () => {
        proxy.rewrite = undefined;
        const honest = await fetchKeys();
        await expect(
          assertPinnedPublicKey(fromBase64Url(honest['publicKeys'].ecdsa), pinned),
        ).resolves.toBeUndefined();
        const attacker = await generateSigningKeyPair();
        proxy.rewrite = ({ path, body }) => {
          if (path !== '/api/v1/account/keys') return undefined;
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          const keys = body as Record<string, any>;
          return {
            ...keys,
            publicKeys: { ...keys['publicKeys'], ecdsa: toBase64Url(attacker.publicKey) },
          };
        };
        const substituted = await fetchKeys();
        expect(
          await codeOf(
            assertPinnedPublicKey(fromBase64Url(substituted['publicKeys'].ecdsa), pinned),
          ),
        ).toBe('public_key_mismatch');
      },
    );
  });
});
