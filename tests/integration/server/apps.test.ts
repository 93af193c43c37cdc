import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomId, toBase64Url, utf8 } from '../../../shared/crypto/index.ts';
import { DEVICE_ROUTES } from '../../../shared/protocol/device-api.ts';
import { DATABASES } from './support/databases.ts';
import { TestDevice, TestManager } from './support/devices.ts';
import type { TestApp } from './support/devices.ts';
import { startHarness } from './support/harness.ts';
import type { Harness } from './support/harness.ts';

describe.each(DATABASES)('applications and devices on $name', (target) => {
  let h: Harness;
  let alice: TestManager;
  let bob: TestManager;
  let admin: TestManager;
  beforeAll(async () => {
    h = await startHarness(target);
    alice = await TestManager.signIn(h, 'alice');
    bob = await TestManager.signIn(h, 'bob');
    admin = await TestManager.signIn(h, 'admin-subject');
  });
  afterAll(() => h.close());

  it('creates, renames, disables, enables and lists an application for its manager', async () => {
    const app = await alice.app('Jenkins');
    const read = await alice.api('GET', `/api/v1/apps/${app.id}`);
    expect(read.body).toMatchObject({
      id: app.id,
      name: 'Jenkins',
      keyVersion: 1,
      disabled: false,
      managers: [alice.userId],
      wrappedAppKey: toBase64Url(app.wrapped),
      grants: [],
    });
    const renamed = await alice.api('PUT', `/api/v1/apps/${app.id}`, { name: 'Jenkins prod' });
    expect(renamed.body).toMatchObject({ name: 'Jenkins prod', disabled: false });
    const disabled = await alice.api('PUT', `/api/v1/apps/${app.id}`, { disabled: true });
    expect(disabled.body['disabled']).toBe(true);
    const enabled = await alice.api('PUT', `/api/v1/apps/${app.id}`, { disabled: false });
    expect(enabled.body['disabled']).toBe(false);
    const list = await alice.api('GET', '/api/v1/apps');
    expect(list.body['applications'].map((a: { id: string }) => a.id)).toContain(app.id);
    const types = (await h.auditRows()).filter((r) => r.app_id === app.id).map((r) => r.type);
    expect(types).toEqual(['app_created', 'app_renamed', 'app_disabled', 'app_enabled']);
  });

  it('refuses bad names, reused ids and empty changes', async () => {
    const app = await alice.app();
    const reuse = await alice.api('POST', '/api/v1/apps', {
      id: app.id,
      name: 'again',
      keyVersion: 1,
      wrappedAppKey: toBase64Url(app.wrapped),
    });
    expect(reuse.body['code']).toBe('conflict');
    const forged = await alice.api('PUT', `/api/v1/apps/${app.id}`, {
      name: 'x\n{"type":"sign_in"}',
    });
    expect(forged.body['code']).toBe('invalid_input');
    expect((await alice.api('PUT', `/api/v1/apps/${app.id}`, {})).body['code']).toBe(
      'invalid_input',
    );
  });

  it('AC-01: another user cannot see or change an application, its grants or devices', async () => {
    const app = await alice.app();
    const folder = await alice.folder();
    await alice.grant(app, folder);
    const minted = await alice.mint(app);
    const deviceId = minted.registration.deviceId;
    const missing = randomId();
    const attempts: [string, string, unknown?][] = [
      ['GET', `/api/v1/apps/${app.id}`],
      ['PUT', `/api/v1/apps/${app.id}`, { name: 'mine now' }],
      ['DELETE', `/api/v1/apps/${app.id}`],
      ['GET', `/api/v1/apps/${app.id}/devices`],
      ['POST', `/api/v1/apps/${app.id}/devices/${deviceId}/revoke`],
      ['POST', `/api/v1/devices/${deviceId}/revoke`],
      ['DELETE', `/api/v1/apps/${app.id}/grants/${folder.id}`],
      ['PUT', `/api/v1/apps/${app.id}/grants/${folder.id}`, { mode: 'editable' }],
      ['POST', `/api/v1/apps/${app.id}/devices`, minted.registration],
    ];
    for (const [method, path, body] of attempts) {
      const theirs = await bob.api(method, path, body);
      const absent = await bob.api(
        method,
        path.replaceAll(app.id, missing).replaceAll(deviceId, missing),
        body,
      );
      expect(theirs.status, `${method} ${path}`).toBe(404);
      expect(theirs.body['code']).toBe('not_found');
      expect(theirs.body['detail']).toBe(absent.body['detail']);
    }
    expect((await bob.api('GET', '/api/v1/apps')).body['applications']).toEqual([]);
    expect((await alice.api('GET', `/api/v1/apps/${app.id}`)).body['name']).toBe('GitHub Actions');
    const listed = await alice.api('GET', `/api/v1/apps/${app.id}/devices`);
    expect(listed.body['devices'][0]).toMatchObject({ id: deviceId, revoked: false });
  });

  it("AC-01: another's application id answers one's own 409 and changes nothing", async () => {
    const app = await alice.app('payments-api prod');
    const own = await bob.app();
    const create = (who: TestManager, id: string) =>
      who.api('POST', '/api/v1/apps', {
        id,
        name: 'taken over',
        keyVersion: 1,
        wrappedAppKey: toBase64Url(utf8('bob has no key to this')),
      });
    const theirs = await create(bob, app.id);
    const mine = await create(bob, own.id);
    expect(theirs.status).toBe(409);
    expect(theirs.body).toEqual(mine.body);
    expect(theirs.text).not.toContain('payments-api');
    expect((await bob.api('GET', `/api/v1/apps/${app.id}`)).status).toBe(404);
    expect((await alice.api('GET', `/api/v1/apps/${app.id}`)).body).toMatchObject({
      name: 'payments-api prod',
      managers: [alice.userId],
    });
  });

  it('lets admins manage every application but not grant folders they cannot reach', async () => {
    const app = await alice.app();
    const folder = await alice.folder();
    const seen = await admin.api('GET', `/api/v1/apps/${app.id}`);
    expect(seen.body).toMatchObject({ id: app.id, wrappedAppKey: null });
    expect((await admin.api('GET', '/api/v1/apps')).body['applications'].length).toBeGreaterThan(0);
    const grant = await admin.api('PUT', `/api/v1/apps/${app.id}/grants/${folder.id}`, {
      mode: 'read-only',
      appKeyVersion: 1,
      folderKeyVersion: 1,
      wrappedFolderKey: toBase64Url(utf8('not a real wrap')),
    });
    expect(grant.body['code']).toBe('not_found');
    expect((await admin.api('PUT', `/api/v1/apps/${app.id}`, { disabled: true })).status).toBe(200);
  });

  it('grants only top-level folders the manager can reach, at current key versions', async () => {
    const app = await alice.app();
    const folder = await alice.folder();
    const sub = await alice.subFolder(folder, folder.id);
    const bobs = await bob.folder();
    const body = {
      mode: 'read-only',
      appKeyVersion: 1,
      folderKeyVersion: 1,
      wrappedFolderKey: toBase64Url(utf8('wrap')),
    };
    const put = (folderId: string, change: object = {}) =>
      alice.api('PUT', `/api/v1/apps/${app.id}/grants/${folderId}`, { ...body, ...change });
    expect((await put(bobs.id)).body['code']).toBe('not_found');
    expect((await put(sub)).body['code']).toBe('invalid_input');
    expect((await put(folder.id, { appKeyVersion: 2 })).body['code']).toBe('conflict');
    expect((await put(folder.id, { folderKeyVersion: 2 })).body['code']).toBe('conflict');
    expect(
      (await alice.api('PUT', `/api/v1/apps/${app.id}/grants/${folder.id}`, { mode: 'editable' }))
        .body['code'],
    ).toBe('invalid_input');
    expect((await alice.grant(app, folder, 'read-only')).status).toBe(200);
    const changed = await alice.api('PUT', `/api/v1/apps/${app.id}/grants/${folder.id}`, {
      mode: 'editable',
    });
    expect(changed.body['grants']).toMatchObject([{ folderId: folder.id, mode: 'editable' }]);
    const removed = await alice.api('DELETE', `/api/v1/apps/${app.id}/grants/${folder.id}`);
    expect(removed.status).toBe(204);
    expect((await alice.api('GET', `/api/v1/apps/${app.id}`)).body['grants']).toEqual([]);
    const again = await alice.api('DELETE', `/api/v1/apps/${app.id}/grants/${folder.id}`);
    expect(again.body['code']).toBe('not_found');
  });

  it('mints several devices at once and lists them without any key material', async () => {
    const app = await alice.app();
    const one = await alice.mint(app, { name: 'runner-a' });
    const two = await alice.mint(app, { name: 'runner-b', register: false });
    const three = await alice.mint(app, { name: 'runner-c', register: false });
    const batch = await alice.api('POST', `/api/v1/apps/${app.id}/devices`, {
      devices: [two.registration, three.registration],
    });
    expect(batch.status).toBe(201);
    expect(batch.body['devices']).toHaveLength(2);
    const duplicate = await alice.api('POST', `/api/v1/apps/${app.id}/devices`, {
      devices: [two.registration],
    });
    expect(duplicate.body['code']).toBe('conflict');
    await TestDevice.redeem(h, one.token, '127.0.0.2');
    const list = await alice.api('GET', `/api/v1/apps/${app.id}/devices`);
    const byName = new Map(list.body['devices'].map((d: { name: string }) => [d.name, d] as const));
    expect(byName.get('runner-a')).toMatchObject({
      shortId: one.registration.deviceId.slice(0, 8),
      state: 'active',
      boundAddress: '127.0.0.2',
      lastAddress: '127.0.0.2',
      ipRule: { type: 'first-use' },
      revoked: false,
      accessExpiry: null,
    });
    expect(byName.get('runner-a')).toHaveProperty('firstAccessAt');
    expect(byName.get('runner-b')).toMatchObject({ state: 'pending', firstAccessAt: null });
    for (const minted of [one, two, three]) {
      expect(list.text).not.toContain(minted.registration.bindProofKey);
      expect(list.text).not.toContain(minted.registration.wrappedAppKey);
      expect(list.text).not.toContain(minted.token.slice(10, 53));
    }
  });

  it(
    'revokes by device id across applications, ' + 'and deleting an app revokes its devices',
    async () => {
      const first = await alice.app('first');
      const second = await alice.app('second');
      const a = await TestDevice.redeem(h, (await alice.mint(first)).token);
      const b = await TestDevice.redeem(h, (await alice.mint(second)).token);
      const byId = await alice.api('POST', `/api/v1/devices/${a.profile.deviceId}/revoke`);
      expect(byId.body).toMatchObject({ appId: first.id, revoked: true });
      expect((await a.request('GET', DEVICE_ROUTES.status.path)).body['code']).toBe(
        'device_revoked',
      );
      const wrongApp = await alice.api(
        'POST',
        `/api/v1/apps/${first.id}/devices/${b.profile.deviceId}/revoke`,
      );
      expect(wrongApp.body['code']).toBe('not_found');
      expect((await b.request('GET', DEVICE_ROUTES.status.path)).status).toBe(200);
      expect((await alice.api('DELETE', `/api/v1/apps/${second.id}`)).body).toEqual({
        revokedDevices: 1,
      });
      expect((await b.request('GET', DEVICE_ROUTES.status.path)).body['code']).toBe(
        'device_revoked',
      );
      expect((await alice.api('GET', `/api/v1/apps/${second.id}`)).status).toBe(404);
    },
  );

  it('shares management with another user and keeps at least one manager', async () => {
    const app: TestApp = await alice.app();
    const shared = await alice.api('PUT', `/api/v1/apps/${app.id}/managers/${bob.userId}`, {
      keyVersion: 1,
      wrappedAppKey: toBase64Url(utf8('sealed to bob')),
    });
    expect(shared.body['managers']).toHaveLength(2);
    expect((await bob.api('GET', `/api/v1/apps/${app.id}`)).body['wrappedAppKey']).toBe(
      toBase64Url(utf8('sealed to bob')),
    );
    expect(
      (await bob.api('DELETE', `/api/v1/apps/${app.id}/managers/${alice.userId}`)).status,
    ).toBe(204);
    const last = await bob.api('DELETE', `/api/v1/apps/${app.id}/managers/${bob.userId}`);
    expect(last.body['code']).toBe('conflict');
    expect((await alice.api('GET', `/api/v1/apps/${app.id}`)).status).toBe(404);
  });

  it(
    'AU-03: with the audit log unwritable, minting ' + 'fails and changes nothing; revoking works',
    async () => {
      const app = await alice.app();
      const device = await TestDevice.redeem(h, (await alice.mint(app)).token);
      const head = await h.db.get<{ seq: number; hash: string }>(
        'SELECT seq, hash FROM audit_head WHERE id = 1',
      );
      if (!head) throw new Error('no head');
      await h.db.run('DELETE FROM audit_head WHERE id = 1');
      try {
        const minted = await alice.mint(app);
        expect(minted.response?.status).toBe(500);
        expect(minted.response?.body['code']).toBe('internal_error');
        const listed = await alice.api('GET', `/api/v1/apps/${app.id}/devices`);
        expect(listed.body['devices']).toHaveLength(1);
        const revoked = await alice.api(
          'POST',
          `/api/v1/devices/${device.profile.deviceId}/revoke`,
        );
        expect(revoked.body).toMatchObject({ revoked: true });
        expect(h.logs()).toContain('revocation committed but its audit event could not be written');
      } finally {
        await h.db.run('INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?)', [
          head.seq,
          head.hash,
        ]);
      }
      expect((await device.request('GET', DEVICE_ROUTES.status.path)).body['code']).toBe(
        'device_revoked',
      );
    },
  );
});
