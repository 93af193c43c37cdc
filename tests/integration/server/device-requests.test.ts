import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fromBase64Url,
  generateSigningKeyPair,
  randomId,
  toBase64Url,
  utf8,
} from '../../../shared/crypto/index.ts';
import {
  encryptRecord,
  importDeviceAppKey,
  openFolderGrant,
  signDeviceRequest,
} from '../../../shared/keys/index.ts';
import {
  DEVICE_ROUTES,
  deviceRecordPath,
  deviceVaultPath,
  deviceVaultResponseSchema,
} from '../../../shared/protocol/device-api.ts';
import { DATABASES } from './support/databases.ts';
import { expectProblem, mintAndRedeem, startDeviceApi } from './support/device-api.ts';
import type { DeviceApiWorld } from './support/device-api.ts';
import { send } from './support/devices.ts';
import type { TestApp, TestFolder, TestManager } from './support/devices.ts';
import type { ApiResponse, Harness } from './support/harness.ts';

// Device API, part two: signed requests from a bound device, grants, revocation and expiry.
describe.each(DATABASES)('device API on $name', (target) => {
  let world: DeviceApiWorld;
  let h: Harness;
  let alice: TestManager;
  let folder: TestFolder;
  let app: TestApp;
  beforeAll(async () => {
    world = await startDeviceApi(target);
    ({ h, alice, folder, app } = world);
  });
  afterAll(() => h.close());

  function boundDevice(
    options: Parameters<TestManager['mint']>[1] = {},
    theApp = app,
    localAddress?: string,
  ) {
    return mintAndRedeem(world, options, theApp, localAddress);
  }

  it('DT-07: refuses a replayed nonce, a stale timestamp and tampered path or body', async () => {
    const device = await boundDevice({ ipRule: { type: 'none' } });
    const path = DEVICE_ROUTES.status.path;
    const headers = await device.sign('GET', path, new Uint8Array());
    expect((await send(h.server.url, 'GET', path, { headers })).status).toBe(200);
    expectProblem(await send(h.server.url, 'GET', path, { headers }), 401, 'request_replayed');

    const now = Math.floor(Date.now() / 1000);
    expect((await device.request('GET', path, undefined, { nowSeconds: now - 299 })).status).toBe(
      200,
    );
    const stale = await device.request('GET', path, undefined, { nowSeconds: now - 302 });
    expectProblem(stale, 401, 'stale_timestamp');
    expect(stale.body['detail']).toContain('behind');
    expectProblem(
      await device.request('GET', path, undefined, { nowSeconds: now + 600 }),
      401,
      'stale_timestamp',
    );

    const signedFor = deviceVaultPath({ folders: [folder.id] });
    const tamperedPath = await send(h.server.url, 'GET', deviceVaultPath(), {
      headers: await device.sign('GET', signedFor, new Uint8Array()),
    });
    expectProblem(tamperedPath, 401, 'bad_signature');

    const body = {
      protocol: 1,
      id: randomId(),
      folderId: folder.id,
      revision: 1,
      keyVersion: 1,
      schemaVersion: 1,
      ciphertext: toBase64Url(utf8('x')),
    };
    const signedBody = utf8(JSON.stringify(body));
    const tampered = utf8(JSON.stringify({ ...body, folderId: randomId() }));
    const response = await send(h.server.url, 'POST', DEVICE_ROUTES.createRecord.path, {
      headers: await device.sign('POST', DEVICE_ROUTES.createRecord.path, signedBody),
      body: tampered,
    });
    expectProblem(response, 401, 'bad_signature');

    const missing = await send(h.server.url, 'GET', path, {
      headers: { 'coffer-device-id': device.profile.deviceId },
    });
    expectProblem(missing, 401, 'unauthenticated');
    const reasons = (await h.auditRows())
      .filter((row) => row.actor_device_id === device.profile.deviceId)
      .map((row) => row.reason);
    expect(reasons).toEqual(
      expect.arrayContaining(['request_replayed', 'stale_timestamp', 'bad_signature']),
    );
  });

  it('AC-01: an id that is not granted answers exactly like one that does not exist', async () => {
    const other = await alice.folder('Staging');
    const hidden = await alice.record(other, 'not for this app');
    const device = await boundDevice({ ipRule: { type: 'none' } });
    const byId = await device.request('GET', deviceVaultPath({ ids: [hidden, randomId()] }));
    expect(deviceVaultResponseSchema.parse(byId.body).records).toEqual([]);
    const byFolder = await device.request('GET', deviceVaultPath({ folders: [other.id] }));
    expect(deviceVaultResponseSchema.parse(byFolder.body).records).toEqual([]);
    const update = (id: string) =>
      device.request('PUT', deviceRecordPath(id), {
        protocol: 1,
        folderId: other.id,
        revision: 2,
        keyVersion: 1,
        schemaVersion: 1,
        ciphertext: toBase64Url(utf8('x')),
      });
    const notGranted = await update(hidden);
    const absent = await update(randomId());
    expectProblem(notGranted, 404, 'not_found');
    expect(notGranted.text).toBe(absent.text);
  });

  it('filters by folder subtree and pages in id order', async () => {
    const root = await alice.folder('Paging');
    const sub = await alice.subFolder(root, root.id);
    const inSub = await alice.record(root, 'in sub', sub);
    const ids = [inSub];
    for (let i = 0; i < 4; i += 1) ids.push(await alice.record(root, `r${i}`));
    const pagingApp = await alice.app('paging');
    await alice.grant(pagingApp, root);
    const device = await boundDevice({ ipRule: { type: 'none' } }, pagingApp);
    const bySub = await device.request('GET', deviceVaultPath({ folders: [sub] }));
    expect(bySub.body['records'].map((r: { id: string }) => r.id)).toEqual([inSub]);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = deviceVaultResponseSchema.parse(
        (
          await device.request(
            'GET',
            deviceVaultPath({ limit: 2, ...(cursor === undefined ? {} : { cursor }) }),
          )
        ).body,
      );
      expect(page.folders.map((f) => f.id).sort()).toEqual([root.id, sub].sort());
      seen.push(...page.records.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(seen).toHaveLength(5);
    expect(new Set(seen)).toEqual(new Set(ids));
  });

  it('AC-02: a read-only grant refuses writes with no state change, audited', async () => {
    const recordId = await alice.record(folder, 'read only');
    const device = await boundDevice({ ipRule: { type: 'none' } });
    const created = await device.request('POST', DEVICE_ROUTES.createRecord.path, {
      protocol: 1,
      id: randomId(),
      folderId: folder.id,
      revision: 1,
      keyVersion: 1,
      schemaVersion: 1,
      ciphertext: toBase64Url(utf8('x')),
    });
    expectProblem(created, 403, 'read_only_grant');
    const before = await alice.api('GET', `/api/v1/vault/records/${recordId}`);
    const updated = await device.request('PUT', deviceRecordPath(recordId), {
      protocol: 1,
      folderId: folder.id,
      revision: 2,
      keyVersion: 1,
      schemaVersion: 1,
      ciphertext: toBase64Url(utf8('x')),
    });
    expectProblem(updated, 403, 'read_only_grant');
    const after = await alice.api('GET', `/api/v1/vault/records/${recordId}`);
    expect(after.body).toEqual(before.body);
    const audited = (await h.auditRows()).filter(
      (row) => row.actor_device_id === device.profile.deviceId && row.reason === 'read_only_grant',
    );
    expect(audited).toHaveLength(2);
  });

  it(
    'RL-02: an editable grant writes with ' + 'compare-and-swap; a stale revision loses nothing',
    async () => {
      const editable = await alice.folder('CI');
      const editApp = await alice.app('writer');
      await alice.grant(editApp, editable, 'editable');
      const device = await boundDevice({ ipRule: { type: 'none' } }, editApp);
      const appKey = await importDeviceAppKey(device.profile);
      const vault = deviceVaultResponseSchema.parse(
        (await device.request('GET', deviceVaultPath())).body,
      );
      const grant = vault.grants[0];
      if (!grant) throw new Error('grant missing');
      const folderKey = await openFolderGrant(
        appKey,
        { appId: editApp.id, appKeyVersion: 1, folderId: editable.id, folderKeyVersion: 1 },
        fromBase64Url(grant.wrappedFolderKey),
      );
      const id = randomId();
      const seal = async (text: string, revision: number) =>
        toBase64Url(
          await encryptRecord(
            folderKey,
            { folderId: editable.id, recordId: id, keyVersion: 1, revision, schemaVersion: 1 },
            utf8(text),
          ),
        );
      const write = { protocol: 1, folderId: editable.id, keyVersion: 1, schemaVersion: 1 };
      const cursor = (await alice.api('GET', '/api/v1/vault/sync?cursor=0')).body[
        'cursor'
      ] as number;
      const created = await device.request('POST', DEVICE_ROUTES.createRecord.path, {
        ...write,
        id,
        revision: 1,
        ciphertext: await seal('v1', 1),
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ ...write, id, revision: 1 });
      const winner = await seal('v2 from device', 2);
      const [a, b] = await Promise.all([
        device.request('PUT', deviceRecordPath(id), { ...write, revision: 2, ciphertext: winner }),
        device.request('PUT', deviceRecordPath(id), {
          ...write,
          revision: 2,
          ciphertext: await seal('v2 other', 2),
        }),
      ]);
      expect([a?.status, b?.status].sort()).toEqual([200, 409]);
      const loser = a?.status === 409 ? a : b;
      if (!loser) throw new Error('no loser');
      expectProblem(loser, 409, 'revision_conflict');
      expect(loser.body['currentRevision']).toBe(2);
      const stored = await alice.api('GET', `/api/v1/vault/records/${id}`);
      expect(stored.body['revision']).toBe(2);
      const sync = await alice.api('GET', `/api/v1/vault/sync?cursor=${cursor}`);
      expect(sync.body['records'].map((r: { id: string }) => r.id)).toContain(id);
      const moved = await device.request('PUT', deviceRecordPath(id), {
        ...write,
        folderId: await alice.subFolder(editable, editable.id),
        revision: 3,
        ciphertext: winner,
      });
      expectProblem(moved, 409, 'conflict');
      const wrongKey = await device.request('PUT', deviceRecordPath(id), {
        ...write,
        keyVersion: 2,
        revision: 3,
        ciphertext: winner,
      });
      expectProblem(wrongKey, 409, 'conflict');
    },
  );

  it(
    'AC-03/DT-07: revocation, a removed grant ' + 'and a disabled app take effect at once',
    async () => {
      const device = await boundDevice({ ipRule: { type: 'none' } });
      expect((await device.request('GET', deviceVaultPath())).status).toBe(200);
      await alice.api('PUT', `/api/v1/apps/${app.id}`, { disabled: true });
      expectProblem(await device.request('GET', deviceVaultPath()), 403, 'application_disabled');
      await alice.api('PUT', `/api/v1/apps/${app.id}`, { disabled: false });
      expect((await device.request('GET', deviceVaultPath())).status).toBe(200);

      const revoked = await alice.api(
        'POST',
        `/api/v1/apps/${app.id}/devices/${device.profile.deviceId}/revoke`,
      );
      expect(revoked.body).toMatchObject({ revoked: true, state: 'revoked' });
      expectProblem(await device.request('GET', deviceVaultPath()), 403, 'device_revoked');

      const second = await alice.app('grant-removal');
      const grantFolder = await alice.folder('Removable');
      await alice.grant(second, grantFolder);
      const other = await boundDevice({ ipRule: { type: 'none' } }, second);
      expect((await other.request('GET', deviceVaultPath())).body['grants']).toHaveLength(1);
      await alice.api('DELETE', `/api/v1/apps/${second.id}/grants/${grantFolder.id}`);
      const after = await other.request('GET', deviceVaultPath());
      expect(after.body['grants']).toEqual([]);
      expect(after.body['folders']).toEqual([]);
    },
  );

  it('DT-07: a device past its access expiry is refused with device_expired', async () => {
    const expiry = Math.floor(h.clock.now() / 1000) + 600;
    const device = await boundDevice({ accessExpiry: expiry, ipRule: { type: 'none' } });
    const base = h.clock.now();
    try {
      h.clock.offsetMs = (expiry - 1) * 1000 - base;
      const before = await device.request('GET', DEVICE_ROUTES.status.path, undefined, {
        nowSeconds: expiry - 1,
      });
      expect(before.status).toBe(200);
      h.clock.offsetMs = expiry * 1000 - base;
      const at = await device.request('GET', DEVICE_ROUTES.status.path, undefined, {
        nowSeconds: expiry,
      });
      expectProblem(at, 403, 'device_expired');
    } finally {
      h.clock.offsetMs = 0;
    }
  });

  it(
    'AC-01: made-up, unredeemed, revoked and ' + 'live ids with bad signatures look alike',
    async () => {
      const live = await boundDevice({ ipRule: { type: 'none' } });
      const revoked = await boundDevice({ ipRule: { type: 'none' } });
      const revokedId = revoked.profile.deviceId;
      expect((await alice.api('POST', `/api/v1/devices/${revokedId}/revoke`)).status).toBe(200);
      const unredeemed = (await alice.mint(app)).registration.deviceId;
      const ids = {
        live: live.profile.deviceId,
        revoked: revokedId,
        unredeemed,
        madeUp: randomId(),
      };
      const wrongKey = await generateSigningKeyPair();
      const path = deviceVaultPath();
      /** What a prober sends: a well-formed request for `deviceId`, signed with its own key. */
      const probe = async (deviceId: string, nowSeconds = Math.floor(Date.now() / 1000)) =>
        send(h.server.url, 'GET', path, {
          headers: await signDeviceRequest(
            { deviceId, signingPrivateKey: wrongKey.privateKey },
            {
              method: 'GET',
              pathWithQuery: path,
              host: new URL(h.server.url).host,
              body: utf8(''),
            },
            nowSeconds,
          ),
        });
      /** Everything a client can see of an answer but its date (and a stale one's skew). */
      const visible = (response: ApiResponse) => ({
        status: response.status,
        body: response.text.replace(/\d+ s (behind|ahead)/, 'N s $1'),
        headers: [...response.headers].filter(([name]) => name !== 'date'),
      });

      const answers = [];
      for (const id of Object.values(ids)) answers.push(await probe(id));
      for (const answer of answers) {
        expectProblem(answer, 401, 'bad_signature');
        expect(visible(answer)).toEqual(visible(answers[0] as ApiResponse));
      }
      const staleAt = Math.floor(Date.now() / 1000) - 3600;
      const stale = [];
      for (const id of Object.values(ids)) stale.push(await probe(id, staleAt));
      for (const answer of stale) {
        expectProblem(answer, 401, 'stale_timestamp');
        expect(visible(answer)).toEqual(visible(stale[0] as ApiResponse));
      }

      // Inside, the audit log keeps the precise reason of each.
      const rows = await h.auditRows();
      const reasons = (deviceId: string) =>
        rows
          .filter((row) => row.type === 'device_request_refused' && row.device_id === deviceId)
          .map((row) => row.reason);
      expect(reasons(ids.live)).toEqual(['bad_signature', 'stale_timestamp']);
      expect(reasons(ids.revoked)).toEqual(['bad_signature', 'stale_timestamp']);
      expect(reasons(ids.unredeemed)).toEqual(['unknown_device', 'unknown_device']);
      expect(reasons(ids.madeUp)).toEqual(['unknown_device', 'unknown_device']);
      const madeUpRow = rows.find((row) => row.device_id === ids.madeUp);
      expect(madeUpRow).toMatchObject({ app_id: null, actor_device_id: null, ip: '127.0.0.1' });
      expect((await live.request('GET', path)).status).toBe(200);
    },
  );
});
