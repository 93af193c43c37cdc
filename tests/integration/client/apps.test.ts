import { describe, expect, it } from 'vitest';
import { fromBase64Url, fromUtf8 } from '../../../shared/crypto/index.ts';
import { isCofferError } from '../../../shared/errors.ts';
import { decryptRecord, importDeviceAppKey, openFolderGrant } from '../../../shared/keys/index.ts';
import {
  AppsClient,
  AuditClient,
  type AddDevicesOptions,
  type VaultClient,
} from '../../../shared/client/index.ts';
import { deviceVaultPath, deviceVaultResponseSchema } from '../../../shared/protocol/device-api.ts';
import { rowHash, type AuditRow } from '../../../server/audit/chain.ts';
import { TestDevice } from '../server/support/devices.ts';
import type { Harness } from '../server/support/harness.ts';
import { enrolledClient, login, signedInClient, useServer } from './support.ts';

const server = useServer();

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isCofferError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a CofferError');
}

function clients(client: VaultClient) {
  return {
    apps: new AppsClient(client.session.api, () => client.unlockedVault()),
    audit: new AuditClient(client.session.api),
  };
}

const now = () => Math.floor(Date.now() / 1000);

function deviceOptions(extra: Partial<AddDevicesOptions> = {}): AddDevicesOptions {
  return {
    name: 'ci-runner',
    count: 1,
    firstAccessMinutes: 60,
    ipRule: { type: 'first-use' },
    nowSeconds: now(),
    ...extra,
  };
}

/** The admin of the test issuer (adminSubjects in the harness); enrols once per server. */
let admin: Promise<VaultClient> | undefined;
function adminClient(h: Harness): Promise<VaultClient> {
  admin ??= (async () => {
    const client = await signedInClient(h, 'admin-subject');
    await client.enrol('admin horse battery staple');
    await client.sync();
    return client;
  })();
  return admin;
}

describe('applications from the manager app against a real server', () => {
  it(
    'grants a folder read-only; a device redeems ' + 'its token and decrypts the granted record',
    async () => {
      const h = server();
      const { client } = await enrolledClient(h);
      const { apps } = clients(client);
      const folderId = await client.createFolder('Production', null);
      const secret = `orders-${Math.random().toString(36).slice(2)}`;
      const entry = await client.createRecord(folderId, login('Orders DB', { password: secret }));

      const app = await apps.create('GitHub Actions');
      expect(app).toMatchObject({ name: 'GitHub Actions', disabled: false, grants: [] });
      const granted = await apps.grant(app, folderId, 'read-only');
      expect(granted.grants).toEqual([expect.objectContaining({ folderId, mode: 'read-only' })]);

      const [issued] = await apps.addDevices(granted, deviceOptions());
      if (!issued) throw new Error('no token issued');
      expect(issued.device).toMatchObject({ name: 'ci-runner', state: 'pending' });
      const device = await TestDevice.redeem(h, issued.token);
      const fetched = await device.request('GET', deviceVaultPath());
      const vault = deviceVaultResponseSchema.parse(fetched.body);
      const grant = vault.grants.find((g) => g.folderId === folderId);
      if (!grant) throw new Error('grant missing');
      const folderKey = await openFolderGrant(
        await importDeviceAppKey(device.profile),
        { appId: app.id, appKeyVersion: 1, folderId, folderKeyVersion: grant.folderKeyVersion },
        fromBase64Url(grant.wrappedFolderKey),
      );
      const record = vault.records.find((r) => r.id === entry.id);
      if (!record) throw new Error('record missing');
      const plain = await decryptRecord(
        folderKey,
        {
          folderId: record.folderId,
          recordId: record.id,
          keyVersion: record.keyVersion,
          revision: record.revision,
          schemaVersion: record.schemaVersion,
        },
        fromBase64Url(record.ciphertext),
      );
      expect(fromUtf8(plain)).toContain(secret);

      const [listed] = await apps.listDevices(app.id);
      expect(listed).toMatchObject({ state: 'active', boundAddress: '127.0.0.1' });
      expect(listed?.firstAccessAt).not.toBeNull();
    },
  );

  it(
    'changes a grant to editable and removes ' + 'it; only top-level folders can be granted',
    async () => {
      const h = server();
      const { client } = await enrolledClient(h);
      const { apps } = clients(client);
      const root = await client.createFolder('Staging', null);
      const sub = await client.createFolder('db', root);
      const app = await apps.create('Jenkins');
      expect(await codeOf(apps.grant(app, sub, 'read-only'))).toBe('not_found');
      await apps.grant(app, root, 'read-only');
      const editable = await apps.changeGrantMode(app.id, root, 'editable');
      expect(editable.grants.map((g) => g.mode)).toEqual(['editable']);
      await apps.removeGrant(app.id, root);
      expect((await apps.get(app.id)).grants).toEqual([]);
    },
  );

  it('issues several tokens at once, each once, none of them stored by the server', async () => {
    const h = server();
    const { client } = await enrolledClient(h);
    const { apps } = clients(client);
    const app = await apps.create('payments-api prod');
    const issued = await apps.addDevices(
      app,
      deviceOptions({
        count: 3,
        firstAccessMinutes: 24 * 60,
        accessExpiry: now() + 30 * 86_400,
        ipRule: { type: 'cidr', allow: ['203.0.113.0/24', '2001:DB8::/32'] },
      }),
    );
    expect(issued.map((i) => i.device.name)).toEqual(['ci-runner-1', 'ci-runner-2', 'ci-runner-3']);
    expect(new Set(issued.map((i) => i.token)).size).toBe(3);
    expect(issued[0]?.device.ipRule).toEqual({
      type: 'cidr',
      allow: ['203.0.113.0/24', '2001:db8::/32'],
    });
    const stored = JSON.stringify(await h.db.all('SELECT * FROM devices'));
    const audit = JSON.stringify(await h.auditRows());
    for (const { token } of issued) {
      expect(stored).not.toContain(token);
      expect(audit).not.toContain(token);
      expect(h.logs()).not.toContain(token);
    }
  });

  it('refuses bad device options before anything is sent', async () => {
    const h = server();
    const { client } = await enrolledClient(h);
    const { apps } = clients(client);
    const app = await apps.create('Refusals');
    const bad: Partial<AddDevicesOptions>[] = [
      { firstAccessMinutes: 0 },
      { firstAccessMinutes: 24 * 60 + 1 },
      { count: 0 },
      { count: 21 },
      { name: '  ' },
      { name: 'tab\there' },
      { accessExpiry: now() - 1 },
      { ipRule: { type: 'cidr', allow: ['10.0.0.1/33'] } },
      { ipRule: { type: 'cidr', allow: ['010.0.0.0/8'] } },
      { ipRule: { type: 'cidr', allow: [] } },
    ];
    for (const options of bad) {
      expect(await codeOf(apps.addDevices(app, deviceOptions(options)))).toBe('invalid_input');
    }
    expect(await apps.listDevices(app.id)).toEqual([]);
  });

  it('revokes a device, disables and re-enables, and deletes an application', async () => {
    const h = server();
    const { client } = await enrolledClient(h);
    const { apps } = clients(client);
    const app = await apps.create('Nightly backup');
    const [issued] = await apps.addDevices(app, deviceOptions());
    if (!issued) throw new Error('no token issued');
    const revoked = await apps.revokeDevice(app.id, issued.device.id);
    expect(revoked).toMatchObject({ state: 'revoked', revoked: true });
    const attempt = await TestDevice.attempt(h, issued.token);
    expect(attempt.response.status).toBe(400);

    expect((await apps.setDisabled(app.id, true)).disabled).toBe(true);
    expect((await apps.setDisabled(app.id, false)).disabled).toBe(false);
    expect((await apps.rename(app.id, 'Nightly backups')).name).toBe('Nightly backups');
    await apps.addDevices(app, deviceOptions({ count: 2 }));
    expect(await apps.delete(app.id)).toEqual({ revokedDevices: 2 });
    expect((await apps.list()).map((a) => a.id)).not.toContain(app.id);
    expect(await codeOf(apps.get(app.id))).toBe('not_found');
  });

  it('lets an admin who is not a manager see an application but not mint for it', async () => {
    const h = server();
    const { client } = await enrolledClient(h);
    const app = await clients(client).apps.create('Someone else’s app');
    const adminApps = clients(await adminClient(h)).apps;
    const seen = (await adminApps.list()).find((a) => a.id === app.id);
    if (!seen) throw new Error('admin does not see the application');
    expect(seen.wrappedAppKey).toBeNull();
    expect(await codeOf(adminApps.addDevices(seen, deviceOptions()))).toBe('forbidden');
  });
});

describe('the audit log from the app against a real server', () => {
  it('filters by application and event, pages, and exports JSON lines and syslog', async () => {
    const h = server();
    const { client } = await enrolledClient(h);
    const { apps, audit } = clients(client);
    const folderId = await client.createFolder('CI', null);
    const app = await apps.create('GitHub Actions');
    await apps.grant(app, folderId, 'read-only');
    const [issued] = await apps.addDevices(app, deviceOptions());
    if (!issued) throw new Error('no token issued');
    await apps.revokeDevice(app.id, issued.device.id);

    const all = await audit.query({ app: app.id });
    expect(all.events.map((e) => e.type)).toEqual([
      'app_created',
      'grant_set',
      'device_token_issued',
      'device_revoked',
    ]);
    const revokes = await audit.query({ device: issued.device.id, event: 'device_revoked' });
    expect(revokes.events).toHaveLength(1);

    const first = await audit.query({ app: app.id, limit: 3 });
    expect(first.events).toHaveLength(3);
    expect(first.nextAfter).not.toBeNull();
    const second = await audit.query({ app: app.id, limit: 3, after: first.nextAfter ?? 0 });
    expect(second.events.map((e) => e.type)).toEqual(['device_revoked']);
    expect(second.nextAfter).toBeNull();

    const lines = (await audit.export({ app: app.id }, 'jsonl')).trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { type: string }).type)).toEqual(
      all.events.map((e) => e.type),
    );
    const syslog = (await audit.export({ app: app.id }, 'syslog')).trimEnd().split('\n');
    expect(syslog).toHaveLength(4);
    expect(syslog[0]).toMatch(/^<110>1 \S+ \S+ coffer - app_created \[coffer@32473 /);
    for (const text of [...lines, ...syslog]) expect(text).not.toContain(issued.token);

    const since = Date.parse(all.events[2]?.time ?? '');
    const later = await audit.query({ app: app.id, since });
    expect(later.events.map((e) => e.type)).toEqual(['device_token_issued', 'device_revoked']);
    expect(await codeOf(audit.query({ app: 'not an id' }))).toBe('invalid_input');
    expect(await codeOf(audit.query({ since: 10, until: 5 }))).toBe('invalid_input');
    expect(await codeOf(audit.verify())).toBe('forbidden');
  });

  // Last: it lifts the append-only guard on this file's server to tamper with history.
  it('verifies the chain and reports history rewritten since the last verification', async () => {
    const h = server();
    const { audit, apps } = clients(await adminClient(h));
    const first = await audit.check(null);
    if (first.status === 'broken') throw new Error('fresh chain does not verify');
    expect(first.status).toBe('first');
    await apps.create('Audit subject');
    const later = await audit.check(first.head);
    expect(later.status).toBe('consistent');
    if (later.status === 'broken') throw new Error('chain does not verify');

    // Rewrite one earlier row and re-hash every row after it: the rewritten chain verifies on
    // its own, but no longer holds the head the app verified.
    await rewriteChainFrom(h, later.head.seq - 1);
    const rewritten = await audit.check(later.head);
    expect(rewritten.verification.ok).toBe(true);
    expect(rewritten.status).toBe('changed');

    await h.db.run("UPDATE audit_events SET ip = '192.0.2.9' WHERE seq = 1");
    const broken = await audit.check(null);
    expect(broken.status).toBe('broken');
    expect(broken.verification).toMatchObject({ ok: false, seq: 1, problem: 'hash_mismatch' });
  });
});

/** Lifts the append-only guard (SQLite triggers) as a database administrator could, then edits. */
async function rewriteChainFrom(h: Harness, seq: number): Promise<void> {
  await h.db.run('DROP TRIGGER IF EXISTS audit_events_no_update');
  await h.db.run('DROP TRIGGER IF EXISTS audit_events_no_delete');
  const rows = await h.db.all<AuditRow>('SELECT * FROM audit_events WHERE seq >= ? ORDER BY seq', [
    seq - 1,
  ]);
  let prev = rows[0]?.seq === seq - 1 ? (rows[0]?.hash ?? '') : '';
  for (const row of rows.filter((r) => r.seq >= seq)) {
    const changed = { ...row, prev_hash: prev, ip: row.seq === seq ? '198.51.100.7' : row.ip };
    const hash = rowHash(changed);
    await h.db.run('UPDATE audit_events SET ip = ?, prev_hash = ?, hash = ? WHERE seq = ?', [
      changed.ip,
      prev,
      hash,
      row.seq,
    ]);
    prev = hash;
  }
  await h.db.run('UPDATE audit_head SET hash = ? WHERE id = 1', [prev]);
}
