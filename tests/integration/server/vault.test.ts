import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from './support/databases.ts';
import { fakeBlob, newId, startHarness } from './support/harness.ts';
import type { Harness } from './support/harness.ts';

describe.each(DATABASES)('vault on $name', (target) => {
  let h: Harness;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    h = await startHarness(target);
    alice = (await h.signIn('alice')).token;
    bob = (await h.signIn('bob', { claims: { email: 'bob@example.com' } })).token;
  });
  afterAll(() => h.close());

  async function topFolder(token: string) {
    const id = newId();
    const response = await h.api('POST', '/api/v1/vault/folders', {
      token,
      body: {
        id,
        parentId: null,
        name: fakeBlob('name'),
        revision: 1,
        wrappedKey: fakeBlob('fk'),
        keyVersion: 1,
      },
    });
    expect(response.status).toBe(201);
    return id;
  }
  async function subFolder(token: string, parentId: string) {
    const id = newId();
    const response = await h.api('POST', '/api/v1/vault/folders', {
      token,
      body: { id, parentId, name: fakeBlob('name'), revision: 1 },
    });
    expect(response.status).toBe(201);
    return id;
  }
  async function record(token: string, folderId: string, ciphertext = fakeBlob()) {
    const id = newId();
    const response = await h.api('POST', '/api/v1/vault/records', {
      token,
      body: { id, folderId, ciphertext, revision: 1 },
    });
    expect(response.status).toBe(201);
    return id;
  }
  const sync = async (token: string, cursor: number, extra = '') =>
    (await h.api('GET', `/api/v1/vault/sync?cursor=${cursor}${extra}`, { token })).body;

  it('creates, reads, updates and deletes a record with revisions', async () => {
    const folder = await topFolder(alice);
    const ciphertext = fakeBlob();
    const id = await record(alice, folder, ciphertext);
    const read = await h.api('GET', `/api/v1/vault/records/${id}`, { token: alice });
    expect(read.body).toMatchObject({
      id,
      folderId: folder,
      rootId: folder,
      ciphertext,
      revision: 1,
      deleted: false,
    });
    const next = fakeBlob();
    const updated = await h.api('PUT', `/api/v1/vault/records/${id}`, {
      token: alice,
      body: { folderId: folder, ciphertext: next, revision: 2 },
    });
    expect(updated.body).toMatchObject({ ciphertext: next, revision: 2 });
    const deleted = await h.api('DELETE', `/api/v1/vault/records/${id}?revision=3`, {
      token: alice,
    });
    expect(deleted.body).toMatchObject({ id, deleted: true, revision: 3 });
    expect(deleted.body['ciphertext']).toBeUndefined();
    expect((await h.api('GET', `/api/v1/vault/records/${id}`, { token: alice })).status).toBe(404);
  });

  it('RL-02: a stale revision gets 409 with the current version and changes nothing', async () => {
    const folder = await topFolder(alice);
    const id = await record(alice, folder);
    const winner = fakeBlob();
    await h.api('PUT', `/api/v1/vault/records/${id}`, {
      token: alice,
      body: { folderId: folder, ciphertext: winner, revision: 2 },
    });
    const stale = await h.api('PUT', `/api/v1/vault/records/${id}`, {
      token: alice,
      body: { folderId: folder, ciphertext: fakeBlob(), revision: 2 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body['code']).toBe('revision_conflict');
    expect(stale.body['current']).toMatchObject({ id, revision: 2, ciphertext: winner });
    const skip = await h.api('PUT', `/api/v1/vault/records/${id}`, {
      token: alice,
      body: { folderId: folder, ciphertext: fakeBlob(), revision: 9 },
    });
    expect(skip.status).toBe(409);
    expect(
      (await h.api('GET', `/api/v1/vault/records/${id}`, { token: alice })).body['ciphertext'],
    ).toBe(winner);
  });

  it(
    'H6: of many concurrent updates from one ' + 'revision exactly one wins and nothing is lost',
    async () => {
      const folder = await topFolder(alice);
      const id = await record(alice, folder);
      const attempts = Array.from({ length: 12 }, () => fakeBlob());
      const results = await Promise.all(
        attempts.map((ciphertext) =>
          h.api('PUT', `/api/v1/vault/records/${id}`, {
            token: alice,
            body: { folderId: folder, ciphertext, revision: 2 },
          }),
        ),
      );
      const won = results.filter((r) => r.status === 200);
      expect(won).toHaveLength(1);
      expect(results.filter((r) => r.status === 409)).toHaveLength(11);
      const stored = await h.api('GET', `/api/v1/vault/records/${id}`, { token: alice });
      expect(stored.body['revision']).toBe(2);
      expect(stored.body['ciphertext']).toBe(won[0]?.body['ciphertext']);
    },
  );

  it(
    'syncs incrementally from a cursor, with ' + 'tombstones, in pages that never split a change',
    async () => {
      const { token } = await h.signIn('sync-user');
      const start = await sync(token, 0);
      expect(start).toMatchObject({ more: false, folders: [], records: [], memberships: [] });
      const folder = await topFolder(token);
      const sub = await subFolder(token, folder);
      const records = [
        await record(token, folder),
        await record(token, sub),
        await record(token, sub),
      ];
      const first = await sync(token, start['cursor']);
      expect(first['folders'].map((f: { id: string }) => f.id).sort()).toEqual(
        [folder, sub].sort(),
      );
      expect(first['records'].map((r: { id: string }) => r.id).sort()).toEqual([...records].sort());
      expect(first['memberships']).toEqual([
        expect.objectContaining({ folderId: folder, role: 'owner', keyVersion: 1 }),
      ]);

      expect(await sync(token, first['cursor'])).toMatchObject({
        folders: [],
        records: [],
        more: false,
      });

      // Deleting the sub-folder tombstones it and both its records under one sequence number.
      const deleted = await h.api('DELETE', `/api/v1/vault/folders/${sub}?revision=2`, { token });
      expect(deleted.status).toBe(200);
      const second = await sync(token, first['cursor'], '&limit=1');
      expect(second['more']).toBe(false);
      expect(second['folders']).toEqual([expect.objectContaining({ id: sub, deleted: true })]);
      expect(
        second['records'].map((r: { id: string; deleted: boolean }) => [r.id, r.deleted]).sort(),
      ).toEqual(
        [
          [records[1], true],
          [records[2], true],
        ].sort(),
      );
      expect(second['cursor']).toBeGreaterThan(first['cursor']);

      // Paging from zero walks everything, a page at a time.
      const seen = new Set<string>();
      let cursor = 0;
      for (let page = 0, more = true; more && page < 10; page += 1) {
        const answer = await sync(token, cursor, '&limit=2');
        for (const r of answer['records']) seen.add(r.id);
        for (const f of answer['folders']) seen.add(f.id);
        more = answer['more'];
        cursor = answer['cursor'];
      }
      expect([...seen].sort()).toEqual([folder, sub, ...records].sort());
    },
  );

  it(
    'moves records between folders and folders within ' +
      'their tree, refusing cycles and other trees',
    async () => {
      const root = await topFolder(alice);
      const a = await subFolder(alice, root);
      const b = await subFolder(alice, a);
      const other = await topFolder(alice);
      const id = await record(alice, a);
      const moved = await h.api('PUT', `/api/v1/vault/records/${id}`, {
        token: alice,
        body: { folderId: other, ciphertext: fakeBlob(), revision: 2 },
      });
      expect(moved.body).toMatchObject({ folderId: other, rootId: other });
      const name = fakeBlob('name');
      const cycle = await h.api('PUT', `/api/v1/vault/folders/${a}`, {
        token: alice,
        body: { parentId: b, name, revision: 2 },
      });
      expect(cycle.body['code']).toBe('folder_move_invalid');
      const across = await h.api('PUT', `/api/v1/vault/folders/${b}`, {
        token: alice,
        body: { parentId: other, name, revision: 2 },
      });
      expect(across.body['code']).toBe('folder_move_invalid');
      const nest = await h.api('PUT', `/api/v1/vault/folders/${other}`, {
        token: alice,
        body: { parentId: root, name, revision: 2 },
      });
      expect(nest.body['code']).toBe('folder_move_invalid');
      const ok = await h.api('PUT', `/api/v1/vault/folders/${b}`, {
        token: alice,
        body: { parentId: root, name, revision: 2 },
      });
      expect(ok.body).toMatchObject({ id: b, parentId: root, name, revision: 2 });
    },
  );

  it(
    'AC-01: another user gets the same 404 for ' + 'every id of the first user as for a missing id',
    async () => {
      const folder = await topFolder(alice);
      const sub = await subFolder(alice, folder);
      const id = await record(alice, sub);
      const missingFolder = newId();
      const missingRecord = newId();
      const probes: [string, string, unknown?][] = [
        ['GET', `/api/v1/vault/records/{r}`],
        [
          'PUT',
          `/api/v1/vault/records/{r}`,
          { folderId: sub, ciphertext: fakeBlob(), revision: 2 },
        ],
        ['DELETE', `/api/v1/vault/records/{r}?revision=2`],
        ['GET', `/api/v1/vault/folders/{f}`],
        ['PUT', `/api/v1/vault/folders/{f}`, { parentId: folder, name: fakeBlob(), revision: 2 }],
        ['DELETE', `/api/v1/vault/folders/{f}?revision=2`],
      ];
      for (const [method, path, body] of probes) {
        const real = await h.api(method, path.replace('{r}', id).replace('{f}', sub), {
          token: bob,
          body,
        });
        const missing = await h.api(
          method,
          path.replace('{r}', missingRecord).replace('{f}', missingFolder),
          {
            token: bob,
            body:
              body && typeof body === 'object' && 'folderId' in body
                ? { ...body, folderId: missingFolder }
                : body,
          },
        );
        expect(real.status, `${method} ${path}`).toBe(404);
        expect(real.text).toBe(missing.text);
      }
      // Bob cannot put a record or folder into Alice's folder either.
      const intrude = await h.api('POST', '/api/v1/vault/records', {
        token: bob,
        body: { id: newId(), folderId: sub, ciphertext: fakeBlob(), revision: 1 },
      });
      expect(intrude.status).toBe(404);
      const nested = await h.api('POST', '/api/v1/vault/folders', {
        token: bob,
        body: { id: newId(), parentId: folder, name: fakeBlob(), revision: 1 },
      });
      expect(nested.status).toBe(404);
      // Moving his own record into her folder is refused the same way.
      const own = await topFolder(bob);
      const mine = await record(bob, own);
      const move = await h.api('PUT', `/api/v1/vault/records/${mine}`, {
        token: bob,
        body: { folderId: sub, ciphertext: fakeBlob(), revision: 2 },
      });
      expect(move.status).toBe(404);
      // Nothing of Alice's shows in Bob's sync, and Alice's record is untouched.
      const bobSync = await sync(bob, 0);
      expect(JSON.stringify(bobSync)).not.toContain(folder);
      expect(JSON.stringify(bobSync)).not.toContain(id);
      expect(
        (await h.api('GET', `/api/v1/vault/records/${id}`, { token: alice })).body['revision'],
      ).toBe(1);
    },
  );

  it('refuses malformed input with invalid_input naming the field', async () => {
    const folder = await topFolder(alice);
    const cases: [unknown, string][] = [
      [{ id: 'short', folderId: folder, ciphertext: fakeBlob(), revision: 1 }, 'id'],
      [{ id: newId(), folderId: folder, ciphertext: fakeBlob(), revision: 2 }, 'revision'],
      [{ id: newId(), folderId: folder, ciphertext: '<script>', revision: 1 }, 'ciphertext'],
      [{ id: newId(), folderId: folder, revision: 1 }, 'ciphertext'],
    ];
    for (const [body, field] of cases) {
      const response = await h.api('POST', '/api/v1/vault/records', { token: alice, body });
      expect(response.status).toBe(400);
      expect(response.body['code']).toBe('invalid_input');
      expect(response.body['detail']).toContain(field);
      expect(response.text).not.toContain('<script>');
    }
    const topWithoutKey = await h.api('POST', '/api/v1/vault/folders', {
      token: alice,
      body: { id: newId(), parentId: null, name: fakeBlob(), revision: 1 },
    });
    expect(topWithoutKey.body['code']).toBe('invalid_input');
    const notJson = await fetch(`${h.server.url}/api/v1/vault/records`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' },
      body: '{"id":',
    });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { code: string }).code).toBe('invalid_input');
  });

  it('refuses a reused id and an oversized body', async () => {
    const folder = await topFolder(alice);
    const id = await record(alice, folder);
    const reuse = await h.api('POST', '/api/v1/vault/records', {
      token: alice,
      body: { id, folderId: folder, ciphertext: fakeBlob(), revision: 1 },
    });
    expect(reuse.body['code']).toBe('conflict');
    const huge = await h.api('POST', '/api/v1/vault/folders', {
      token: alice,
      body: { id: newId(), parentId: folder, name: 'A'.repeat(200_000), revision: 1 },
    });
    expect(huge.status).toBe(413);
    expect(huge.body['code']).toBe('payload_too_large');
  });

  it(
    'keeps ciphertext markers out of the log ' + 'and plaintext names out of the database',
    async () => {
      const marker = `LOGSENTINEL${Date.now()}`;
      const folder = await topFolder(alice);
      await record(alice, folder, Buffer.from(marker).toString('base64url'));
      expect(h.logs()).not.toContain(Buffer.from(marker).toString('base64url'));
      expect(h.logs()).not.toContain(alice);
      expect((await h.auditRows()).map((row) => row.type)).toContain('record_created');
      if (target.name === 'sqlite') {
        const dir = dirname(h.database.location);
        const bytes = readdirSync(dir)
          .map((f) => readFileSync(join(dir, f)).toString('latin1'))
          .join('');
        expect(bytes).not.toContain(marker);
      }
    },
  );
});
