import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FIRST_DECRYPT_BATCH,
  InThreadRecordDecryptor,
  VaultData,
  type LoadedPage,
  type OpenedBatch,
  type RecordBatch,
  type RecordView,
  type SyncResponse,
} from '../../../shared/client/index.ts';
import { encodeRecord } from '../../../shared/client/record-codec.ts';
import {
  generateAeadKeyBytes,
  importAeadKey,
  randomId,
  seal,
  sealMany,
  toBase64Url,
  utf8,
} from '../../../shared/crypto/index.ts';
import { isCofferError } from '../../../shared/errors.ts';
import { folderKeyAad, recordAad, Vault } from '../../../shared/keys/index.ts';
import { folderNameAad } from '../../../shared/protocol/device-api.ts';
import { makeProblem, PROBLEM_JSON_MEDIA_TYPE } from '../../../shared/protocol/problem-details.ts';
import type { WorkerRecordDecryptor } from '../../../renderer/src/platform/decrypt-pool.ts';
import {
  decryptPoolSize,
  liveDecryptWorkers,
} from '../../../renderer/src/platform/decrypt-pool.ts';
import { pool, type InProcessWorker } from './helpers/in-process-worker.ts';

function loginInput(i: number) {
  return {
    type: 'login' as const,
    schemaVersion: 1 as const,
    title: `Service ${i}`,
    username: `alice${i}@example.com`,
    password: `pw-${i}`,
  };
}

/**
 * A sync page of `count` login records sealed under one folder key, all in its top-level
 * folder. `content(i)` replaces record i's JSON (to seal one that fails the schema).
 */
async function sealedPage(
  count: number,
  raw = generateAeadKeyBytes(),
  content: (i: number) => Uint8Array = (i) => encodeRecord(loginInput(i)).bytes,
) {
  const key = await importAeadKey(raw);
  const rootId = randomId();
  const ids = Array.from({ length: count }, () => randomId());
  const blobs = await sealMany(
    key,
    ids.map((id, i) => ({
      data: content(i),
      aad: recordAad({
        folderId: rootId,
        recordId: id,
        keyVersion: 1,
        revision: 1,
        schemaVersion: 1,
      }),
    })),
  );
  const page: SyncResponse = {
    cursor: count,
    more: false,
    memberships: [],
    folders: [],
    records: ids.map((id, i) => ({
      id,
      rootId,
      folderId: rootId,
      ciphertext: toBase64Url(blobs[i]!),
      revision: 1,
      seq: i + 1,
      deleted: false,
      updatedAt: i,
    })),
  };
  return { raw, rootId, page, ciphertexts: blobs.map((blob) => toBase64Url(blob)) };
}

function batch(
  page: LoadedPage,
  rootId: string,
  positions: readonly number[],
  keyVersion = 1,
): RecordBatch {
  return { page: page.id, rootId, keyVersion, positions };
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/** What an opened batch says of each record: its title, or the code it was quarantined with. */
function outcomes(opened: OpenedBatch): string[] {
  return opened.codes.map((code, i) => code ?? opened.titles[i]!);
}

/** Record i's plaintext JSON, decoded. */
function plaintextOf(opened: OpenedBatch, i: number): unknown {
  const start = i === 0 ? 0 : opened.ends[i - 1]!;
  return JSON.parse(new TextDecoder().decode(opened.plaintext.subarray(start, opened.ends[i]!)));
}

const opened: WorkerRecordDecryptor[] = [];
afterEach(() => {
  for (const d of opened.splice(0)) d.dispose();
});

describe('the renderer decrypt pool', () => {
  it('opens a page in its workers to the same records the in-thread decryptor gives', async () => {
    const { raw, rootId, page, ciphertexts } = await sealedPage(40);
    const { decryptor, workers } = pool(2);
    opened.push(decryptor);
    const inThread = new InThreadRecordDecryptor();
    await decryptor.addFolderKey(rootId, 1, raw);
    await inThread.addFolderKey(rootId, 1, raw);
    const loaded = await decryptor.loadPage({ page });
    // The page comes back without a single ciphertext.
    expect(JSON.stringify(loaded)).not.toContain(ciphertexts[0]!.slice(0, 40));
    expect(loaded.records.map((r) => r.id)).toEqual(page.records.map((r) => r.id));
    const halves = await Promise.all(
      [range(0, 20), range(20, 40)].map((at) => decryptor.open(batch(loaded, rootId, at))),
    );
    const here = await inThread.loadPage({ page });
    const whole = await inThread.open(batch(here, rootId, range(0, 40)));
    expect(halves.flatMap(outcomes)).toEqual(outcomes(whole));
    expect(halves.flatMap(outcomes)).toEqual(range(0, 40).map((i) => `Service ${i}`));
    expect(halves[1]!.subtitles[3]).toBe('alice23@example.com');
    expect(halves[1]!.searchTexts[3]).toBe(whole.searchTexts[23]);
    expect(whole.searchTexts[23]).toContain('service 23');
    expect(whole.searchTexts[23]).not.toContain('pw-23');
    // The whole record travels as its JSON, decoded only when it is opened, and was handed
    // over: the worker keeps no copy.
    expect(plaintextOf(halves[1]!, 3)).toMatchObject({ title: 'Service 23', password: 'pw-23' });
    expect(workers.flatMap((w) => w.sentPlaintexts).map((p) => p.byteLength)).toEqual([0, 0]);
  });

  it('fetches a page in a worker with the session, and reports the server refusing it', async () => {
    const { raw, rootId, page } = await sealedPage(5);
    const seen: string[] = [];
    const server = createServer((request, response) => {
      seen.push(`${request.url} ${request.headers.authorization}`);
      const ok = request.headers.authorization === 'Bearer alice-session';
      const body = ok
        ? JSON.stringify(page)
        : JSON.stringify(makeProblem('unauthenticated', 'Sign in again.'));
      response.writeHead(ok ? 200 : 401, {
        'content-type': ok ? 'application/json' : PROBLEM_JSON_MEDIA_TYPE,
      });
      response.end(body);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const { decryptor } = pool(2);
      opened.push(decryptor);
      await decryptor.addFolderKey(rootId, 1, raw);
      const fetchPage = (sessionToken: string) =>
        decryptor.loadPage({
          fetch: {
            serverUrl,
            sessionToken,
            cursor: 7,
            limit: 500,
            here: () => Promise.reject(new Error('a pool fetches in its worker')),
          },
        });
      const loaded = await fetchPage('alice-session');
      expect(seen).toEqual(['/api/v1/vault/sync?cursor=7&limit=500 Bearer alice-session']);
      const result = await decryptor.open(batch(loaded, rootId, range(0, 5)));
      expect(outcomes(result)).toEqual(range(0, 5).map((i) => `Service ${i}`));
      await expect(fetchPage('expired')).rejects.toMatchObject({ code: 'unauthenticated' });
    } finally {
      server.close();
    }
  });

  it('asks for the next page while this one is still arriving, and uses it once asked', async () => {
    const { raw, rootId, page } = await sealedPage(6);
    const first: SyncResponse = {
      ...page,
      cursor: 3,
      more: true,
      records: page.records.slice(0, 3),
    };
    const second: SyncResponse = { ...page, cursor: 6, records: page.records.slice(3) };
    const asked: number[] = [];
    let waitedInVain = false;
    let finishFirst: () => void = () => undefined;
    const nextAsked = new Promise<void>((resolve) => (finishFirst = resolve));
    const server = createServer((request, response) => {
      const cursor = Number(new URL(request.url!, 'http://x').searchParams.get('cursor'));
      asked.push(cursor);
      response.writeHead(200, { 'content-type': 'application/json' });
      if (cursor === 0) {
        // The page's head goes out at once; its body only once the next page was asked for.
        const text = JSON.stringify(first);
        response.write(text.slice(0, 40));
        const waited = setTimeout(() => {
          waitedInVain = true;
          finishFirst();
        }, 3000);
        void nextAsked.then(() => {
          clearTimeout(waited);
          response.end(text.slice(40));
        });
      } else {
        finishFirst();
        response.end(JSON.stringify(second));
      }
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const { decryptor } = pool(2);
      opened.push(decryptor);
      await decryptor.addFolderKey(rootId, 1, raw);
      const fetch = (cursor: number) => ({
        fetch: { serverUrl, sessionToken: 'alice', cursor, limit: 3, here: () => Promise.reject() },
      });
      const one = await decryptor.loadPage(fetch(0));
      const two = await decryptor.loadPage(fetch(one.cursor));
      expect(asked).toEqual([0, 3]);
      expect(waitedInVain).toBe(false);
      expect([...one.records, ...two.records].map((r) => r.id)).toEqual(
        page.records.map((r) => r.id),
      );
      const opened2 = await decryptor.open(batch(two, rootId, [0, 1, 2]));
      expect(outcomes(opened2)).toEqual(['Service 3', 'Service 4', 'Service 5']);
    } finally {
      server.close();
    }
  });

  it('quarantines a tampered, a replayed, an unkeyed and an invalid record one by one', async () => {
    const { raw, rootId, page } = await sealedPage(4, generateAeadKeyBytes(), (i) =>
      i === 3
        ? utf8(JSON.stringify({ type: 'login', schemaVersion: 1, title: '' }))
        : encodeRecord(loginInput(i)).bytes,
    );
    const { decryptor } = pool(1);
    opened.push(decryptor);
    await decryptor.addFolderKey(rootId, 1, raw);
    const first = page.records[0] as Extract<RecordView, { deleted: false }>;
    const flipped = `${first.ciphertext.slice(0, -2)}${first.ciphertext.endsWith('AA') ? 'BA' : 'AA'}`;
    const loaded = await decryptor.loadPage({
      page: {
        ...page,
        records: page.records.map((r, i) =>
          i === 0 ? { ...first, ciphertext: flipped } : i === 1 ? { ...r, revision: 2 } : r,
        ),
      },
    });
    const results = await decryptor.open(batch(loaded, rootId, range(0, 4)));
    expect(results.codes).toEqual([
      'crypto_integrity_failed',
      'crypto_integrity_failed',
      null,
      // Its title is empty: refused by the list check at once, its bytes not kept.
      'record_invalid',
    ]);
    expect([results.ends[0], results.ends[1]]).toEqual([0, 0]);
    expect(results.plaintext.length).toBe(results.ends[2]);
    expect(results.ends[3]).toBe(results.ends[2]);
    const unkeyed = await decryptor.open(batch(loaded, rootId, range(0, 4), 2));
    expect(unkeyed.codes.every((code) => code === 'crypto_wrong_key')).toBe(true);
  });

  it('opens only records of a page it holds, by position', async () => {
    const { raw, rootId, page } = await sealedPage(3);
    const { decryptor } = pool(2);
    opened.push(decryptor);
    await decryptor.addFolderKey(rootId, 1, raw);
    const deleted: RecordView = { ...page.records[2]!, deleted: true };
    const loaded = await decryptor.loadPage({
      page: { ...page, records: [...page.records.slice(0, 2), deleted] },
    });
    await expect(decryptor.open(batch(loaded, rootId, [5]))).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(decryptor.open(batch(loaded, rootId, [2]))).rejects.toMatchObject({
      code: 'invalid_input',
    });
    decryptor.releasePage(loaded.id);
    await expect(decryptor.open(batch(loaded, rootId, [0]))).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(decryptor.loadPage({ page: { ...page, cursor: -1 } })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });

  it('gives each worker its own copy of a key and each worker zeroes its copy', async () => {
    const { raw, rootId, page } = await sealedPage(2);
    const { decryptor, workers } = pool(3);
    opened.push(decryptor);
    await decryptor.addFolderKey(rootId, 1, raw);
    const pages = await Promise.all(workers.map(() => decryptor.loadPage({ page })));
    await Promise.all(pages.map((loaded) => decryptor.open(batch(loaded, rootId, [0, 1]))));
    expect(raw.some((b) => b !== 0)).toBe(true);
    for (const worker of workers) {
      expect(worker.receivedKeys).toHaveLength(1);
      expect(worker.receivedKeys[0]!.every((b) => b === 0)).toBe(true);
      expect(worker.sentPlaintexts).toHaveLength(1);
    }
  });

  it('terminates every worker at dispose and fails pending and later work as locked', async () => {
    const { raw, rootId, page } = await sealedPage(5);
    const before = liveDecryptWorkers();
    const { decryptor, workers } = pool(2);
    expect(liveDecryptWorkers()).toBe(before + 2);
    await decryptor.addFolderKey(rootId, 1, raw);
    const loaded = await decryptor.loadPage({ page });
    const pending = decryptor.open(batch(loaded, rootId, range(0, 5)));
    decryptor.dispose();
    await expect(pending).rejects.toMatchObject({ code: 'vault_locked' });
    await expect(decryptor.loadPage({ page })).rejects.toMatchObject({ code: 'vault_locked' });
    await expect(decryptor.addFolderKey(rootId, 1, raw)).rejects.toMatchObject({
      code: 'vault_locked',
    });
    expect(workers.every((w) => w.terminated)).toBe(true);
    expect(liveDecryptWorkers()).toBe(before);
  });

  it('refuses a malformed worker reply and a crashed worker with decrypt_worker_failed', async () => {
    const { raw, rootId, page } = await sealedPage(2);
    const { decryptor, workers } = pool(1);
    opened.push(decryptor);
    await decryptor.addFolderKey(rootId, 1, raw);
    const loaded = await decryptor.loadPage({ page });
    workers[0]!.reply = (data) => {
      const opened = (data as { batch: OpenedBatch }).batch;
      return { ...(data as object), batch: { ...opened, types: ['login', 'no-such-type'] } };
    };
    await expect(decryptor.open(batch(loaded, rootId, [0, 1]))).rejects.toMatchObject({
      code: 'decrypt_worker_failed',
    });
    workers[0]!.reply = (data) => ({
      ...(data as object),
      page: { ...page, id: (data as { job: number }).job },
    });
    await expect(decryptor.loadPage({ page })).rejects.toMatchObject({
      code: 'decrypt_worker_failed',
    });
    workers[0]!.reply = () => ({ kind: 'opened' });
    const lost = decryptor.open(batch(loaded, rootId, [0]));
    workers[0]!.onerror?.({ preventDefault: () => undefined } as ErrorEvent);
    await expect(lost).rejects.toMatchObject({ code: 'decrypt_worker_failed' });
  });

  it('sizes the pool from the reported cores, between 1 and 4', () => {
    expect([undefined, 0, 1, 2, 3, 8, 64].map(decryptPoolSize)).toEqual([1, 1, 1, 2, 3, 4, 4]);
  });
});

describe('a vault opened through the decrypt pool', () => {
  async function vaultWithRecords(count: number) {
    const userRaw = generateAeadKeyBytes();
    const userKey = await importAeadKey(userRaw);
    const pair = { publicKey: new Uint8Array(65), privateKey: new Uint8Array(32) };
    const vault = new Vault(randomId(), { userKey, encryption: pair, signing: { ...pair } });
    const folderRaw = generateAeadKeyBytes();
    const { rootId, page } = await sealedPage(count, folderRaw);
    const wrapped = await seal(userKey, folderRaw, folderKeyAad(rootId, 1));
    const name = await seal(
      await importAeadKey(folderRaw),
      utf8('Production'),
      folderNameAad(rootId, 1),
    );
    const full: SyncResponse = {
      ...page,
      memberships: [
        { folderId: rootId, role: 'owner', wrappedKey: toBase64Url(wrapped), keyVersion: 1 },
      ],
      folders: [
        {
          id: rootId,
          rootId,
          parentId: null,
          name: toBase64Url(name),
          keyVersion: 1,
          revision: 1,
          seq: 0,
          deleted: false,
          updatedAt: 0,
        },
      ],
    };
    return { vault, page: full };
  }

  it('fills the records and the index batch by batch, reporting progress as each lands', async () => {
    const { vault, page } = await vaultWithRecords(FIRST_DECRYPT_BATCH + 2100);
    const data = new VaultData(() => pool(2).decryptor);
    const seen: number[] = [];
    await data.applyPage(vault, page, (p) => seen.push(p.done));
    expect(data.records.size).toBe(FIRST_DECRYPT_BATCH + 2100);
    expect(data.quarantine.size).toBe(0);
    // Batches finish in any order; none is larger than a full one, so the first rows come early.
    expect(seen[0]).toBeLessThanOrEqual(FIRST_DECRYPT_BATCH);
    expect(seen.every((done, i) => i === 0 || done > seen[i - 1]!)).toBe(true);
    expect(seen.at(-1)).toBe(FIRST_DECRYPT_BATCH + 2100);
    expect(data.index.search('alice2099@example.com')).toHaveLength(1);
    expect(data.index.search('pw-1')).toHaveLength(0);
    // The whole record is decoded from its bytes when it is first read.
    const id = page.records[7]!.id;
    expect(data.records.get(id)!.summary).toEqual({
      type: 'login',
      title: 'Service 7',
      subtitle: 'alice7@example.com',
      favorite: false,
    });
    expect(data.records.get(id)!.record).toMatchObject({ password: 'pw-7', urls: [] });
    data.clear();
  });

  it('opens two pages at once, the later one with the key the earlier one brought', async () => {
    const { vault, page } = await vaultWithRecords(600);
    const data = new VaultData(() => pool(2).decryptor);
    const [first, second] = await Promise.all([
      data.loadPage({ page: { ...page, more: true, records: page.records.slice(0, 300) } }),
      data.loadPage({
        page: { ...page, memberships: [], folders: [], records: page.records.slice(300) },
      }),
    ]);
    await Promise.all([data.applyLoadedPage(vault, first), data.applyLoadedPage(vault, second)]);
    expect(data.quarantine.size).toBe(0);
    expect(data.records.size).toBe(600);
    data.clear();
  });

  it('keeps nothing a lock interrupted: clearing mid-sync ends the workers and the sync', async () => {
    const { vault, page } = await vaultWithRecords(3000);
    const pools: { decryptor: WorkerRecordDecryptor; workers: InProcessWorker[] }[] = [];
    const data = new VaultData(() => {
      const made = pool(2);
      pools.push(made);
      return made.decryptor;
    });
    let cleared = false;
    const sync = data.applyPage(vault, page, () => {
      if (!cleared) {
        cleared = true;
        data.clear();
      }
    });
    const error: unknown = await sync.catch((e: unknown) => e);
    expect(isCofferError(error, 'vault_locked')).toBe(true);
    expect(data.records.size).toBe(0);
    expect(data.index.size).toBe(0);
    expect(pools).toHaveLength(1);
    expect(pools[0]!.workers.every((w) => w.terminated)).toBe(true);
  });
});
