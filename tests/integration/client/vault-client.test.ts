import { describe, expect, it } from 'vitest';
import { isCofferError } from '../../../shared/errors.ts';
import {
  enrolledClient,
  login,
  newSubject,
  secondDevice,
  signedInClient,
  useServer,
} from './support.ts';

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

describe('signing in, enrolling and unlocking against a real server', () => {
  it(
    'enrols a new user, then unlocks on a second ' + 'device with the same master password',
    async () => {
      const h = server();
      const subject = newSubject();
      const first = await signedInClient(h, subject);
      expect(first.session.user?.hasAccountKeys).toBe(false);
      await first.enrol('correct horse battery staple');
      expect(first.isUnlocked).toBe(true);

      const second = await signedInClient(h, subject);
      expect(second.session.user?.hasAccountKeys).toBe(true);
      await second.unlock('correct horse battery staple');
      expect(second.isUnlocked).toBe(true);
    },
  );

  it('says the master password is wrong and lets the user try again', async () => {
    const h = server();
    const { subject, masterPassword } = await enrolledClient(h);
    const device = await signedInClient(h, subject);
    expect(await codeOf(device.unlock(`${masterPassword}x`))).toBe('wrong_master_password');
    expect(device.isUnlocked).toBe(false);
    await device.unlock(masterPassword);
    expect(device.isUnlocked).toBe(true);
  });

  it('refuses a second enrolment of the same account', async () => {
    const h = server();
    const { subject } = await enrolledClient(h);
    const device = await signedInClient(h, subject);
    expect(await codeOf(device.enrol('another password entirely'))).toBe('account_keys_exist');
  });

  it(
    'turns a call without a session into an ' + 'unauthenticated error, before any request',
    async () => {
      const h = server();
      const { VaultClient } = await import('../../../shared/client/index.ts');
      const client = new VaultClient({ serverUrl: h.server.url });
      expect(await codeOf(client.session.fetchAccountKeys())).toBe('unauthenticated');
    },
  );
});

describe('folders', () => {
  it('creates nested folders that another device decrypts into the same tree', async () => {
    const h = server();
    const { client, subject, masterPassword } = await enrolledClient(h);
    const production = await client.createFolder('Production', null);
    const databases = await client.createFolder('Databases', production);
    const replicas = await client.createFolder('Replicas', databases);

    const other = await secondDevice(h, subject, masterPassword);
    expect(other.data.folders.children(null).map((f) => f.name)).toEqual(['Production']);
    expect(other.data.folders.path(replicas)).toEqual(['Production', 'Databases', 'Replicas']);
    expect(other.data.folders.get(replicas)?.rootId).toBe(production);
  });

  it('renames and moves a folder within its tree, and the change syncs', async () => {
    const h = server();
    const { client, subject, masterPassword } = await enrolledClient(h);
    const top = await client.createFolder('Staging', null);
    const a = await client.createFolder('A', top);
    const b = await client.createFolder('B', top);
    await client.updateFolder(b, { name: 'Bee', parentId: a });

    const other = await secondDevice(h, subject, masterPassword);
    expect(other.data.folders.path(b)).toEqual(['Staging', 'A', 'Bee']);
    expect(await codeOf(client.updateFolder(top, { parentId: a }))).toBe('folder_move_invalid');
  });

  it('says what a folder deletion takes with it, and deletes all of it', async () => {
    const h = server();
    const { client, subject, masterPassword } = await enrolledClient(h);
    const top = await client.createFolder('CI', null);
    const sub = await client.createFolder('Runners', top);
    const subsub = await client.createFolder('Linux', sub);
    await client.createRecord(sub, login('runner token'));
    await client.createRecord(subsub, login('linux runner'));
    const keep = await client.createRecord(top, login('kept'));

    expect(client.folderDeletionImpact(sub)).toEqual({ folders: 1, records: 2 });
    const other = await secondDevice(h, subject, masterPassword);
    await client.deleteFolder(sub);
    expect([...client.data.records.keys()]).toEqual([keep.id]);
    expect(client.data.folders.has(subsub)).toBe(false);

    await other.sync();
    expect([...other.data.records.keys()]).toEqual([keep.id]);
    expect(other.data.folders.all().map((f) => f.name)).toEqual(['CI']);
  });

  it('stores folder names and record content only as ciphertext', async () => {
    const h = server();
    const { client } = await enrolledClient(h);
    const marker = `MARKER${Date.now()}`;
    const folder = await client.createFolder(`${marker}-folder`, null);
    await client.createRecord(folder, login(`${marker}-title`, { password: `${marker}-pw` }));
    const token = await h.signIn('someone-else');
    expect(token.token).toBeTruthy();
    const raw = await client.session.api.get('/api/v1/vault/sync', {
      query: { cursor: 0 },
      schema: (await import('zod')).z.unknown(),
    });
    expect(JSON.stringify(raw)).not.toContain(marker);
    expect(h.logs()).not.toContain(marker);
  });
});

describe('records', () => {
  it(
    'creates, updates, moves and deletes records, ' + 'each change reaching another device',
    async () => {
      const h = server();
      const { client, subject, masterPassword } = await enrolledClient(h);
      const prod = await client.createFolder('Production', null);
      const staging = await client.createFolder('Staging', null);
      const other = await secondDevice(h, subject, masterPassword);

      const created = await client.createRecord(
        prod,
        login('Postgres main', { username: 'alice' }),
      );
      expect(created.revision).toBe(1);
      await other.sync();
      expect(other.data.records.get(created.id)?.record).toMatchObject({ title: 'Postgres main' });

      const updated = await client.updateRecord(
        created.id,
        login('Postgres main', { username: 'bob' }),
      );
      expect(updated.revision).toBe(2);
      const moved = await client.moveRecord(created.id, staging);
      expect(moved).toMatchObject({ revision: 3, folderId: staging, rootId: staging });
      await other.sync();
      expect(other.data.records.get(created.id)).toMatchObject({
        folderId: staging,
        revision: 3,
        record: { username: 'bob' },
      });

      await client.deleteRecord(created.id);
      await other.sync();
      expect(other.data.records.has(created.id)).toBe(false);
      expect(other.data.quarantine.size).toBe(0);
    },
  );

  it(
    'refuses a stale edit with revision_conflict, ' + 'saves nothing and shows the newer version',
    async () => {
      const h = server();
      const { client, subject, masterPassword } = await enrolledClient(h);
      const folder = await client.createFolder('Shared', null);
      const record = await client.createRecord(folder, login('API gateway'));
      const other = await secondDevice(h, subject, masterPassword);

      await other.updateRecord(record.id, login('API gateway', { username: 'from-other' }));
      const code = await codeOf(
        client.updateRecord(record.id, login('API gateway', { username: 'mine' })),
      );
      expect(code).toBe('revision_conflict');
      expect(client.data.records.get(record.id)).toMatchObject({
        revision: 2,
        record: { username: 'from-other' },
      });
    },
  );

  it('refuses an invalid record before anything is sent', async () => {
    const h = server();
    const { client } = await enrolledClient(h);
    const folder = await client.createFolder('F', null);
    expect(await codeOf(client.createRecord(folder, login('')))).toBe('record_invalid');
    expect(client.data.records.size).toBe(0);
  });
});

describe('search', () => {
  it('finds records by title, username, host, URL and notes, never by a secret', async () => {
    const h = server();
    const { client } = await enrolledClient(h);
    const folder = await client.createFolder('Ops', null);
    const web = await client.createRecord(
      folder,
      login('Grafana', {
        username: 'Alice.Admin',
        password: 'UniquePasswordValue',
        urls: ['https://grafana.example.com'],
        notes: 'rotated quarterly',
      }),
    );
    const db = await client.createRecord(folder, {
      type: 'database',
      schemaVersion: 1,
      title: 'Orders DB',
      engine: 'postgresql',
      host: 'db1.example.com',
    });
    const index = client.data.index;
    expect(index.search('grafana')).toEqual([web.id]);
    expect(index.search('ALICE.admin')).toEqual([web.id]);
    expect(index.search('example.com').sort()).toEqual([web.id, db.id].sort());
    expect(index.search('db1 orders')).toEqual([db.id]);
    expect(index.search('quarterly')).toEqual([web.id]);
    expect(index.search('UniquePasswordValue')).toEqual([]);
    expect(index.search('example', { type: 'database' })).toEqual([db.id]);
  });
});

describe('locking', () => {
  it('drops every key and decrypted value, and unlocking again restores the vault', async () => {
    const h = server();
    const { client, masterPassword } = await enrolledClient(h);
    const folder = await client.createFolder('Vault', null);
    await client.createRecord(folder, login('Secret thing', { password: 'p' }));
    client.lock();
    expect(client.isUnlocked).toBe(false);
    expect(client.data.records.size).toBe(0);
    expect(client.data.folders.size).toBe(0);
    expect(client.data.index.size).toBe(0);
    expect(await codeOf(client.createFolder('x', null))).toBe('vault_locked');

    await client.unlock(masterPassword);
    await client.sync();
    expect([...client.data.records.values()].map((r) => r.record.title)).toEqual(['Secret thing']);
  });
});
