import { afterEach, describe, expect, it } from 'vitest';
import {
  InThreadRecordDecryptor,
  type LoadedPage,
  type OpenedBatch,
  type PageRecords,
  type RecordView,
} from '../../../shared/client/index.ts';
import { encodeRecord } from '../../../shared/client/record-codec.ts';
import { generateAeadKeyBytes, utf8 } from '../../../shared/crypto/index.ts';
import type { WorkerRecordDecryptor } from '../../../renderer/src/platform/decrypt-pool.ts';
import {
  decryptPoolSize,
  liveDecryptWorkers,
} from '../../../renderer/src/platform/decrypt-pool.ts';
import { pool } from './helpers/in-process-worker.ts';
import {
  batch,
  loginInput,
  outcomes,
  plaintextOf,
  range,
  sealedPage,
} from './helpers/sealed-pages.ts';

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
    expect(loaded.records.ids).toEqual(page.records.map((r) => r.id));
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

  it(
    'quarantines a tampered, a replayed, an ' + 'unkeyed and an invalid record one by one',
    async () => {
      const { raw, rootId, page } = await sealedPage(4, generateAeadKeyBytes(), (i) =>
        i === 3
          ? utf8(JSON.stringify({ type: 'login', schemaVersion: 1, title: '' }))
          : encodeRecord(loginInput(i)).bytes,
      );
      const { decryptor } = pool(1);
      opened.push(decryptor);
      await decryptor.addFolderKey(rootId, 1, raw);
      const first = page.records[0] as Extract<RecordView, { deleted: false }>;
      const lastTwo = first.ciphertext.endsWith('AA') ? 'BA' : 'AA';
      const flipped = `${first.ciphertext.slice(0, -2)}${lastTwo}`;
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
    },
  );

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

  it(
    'refuses a malformed worker reply and a ' + 'crashed worker with decrypt_worker_failed',
    async () => {
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
    },
  );

  it('refuses a page whose record columns do not agree with each other', async () => {
    const { page } = await sealedPage(3);
    const { decryptor, workers } = pool(1);
    opened.push(decryptor);
    const changes: ((records: PageRecords) => object)[] = [
      (records) => ({ ...records, folders: Uint32Array.of(0, 0, 1) }),
      (records) => ({ ...records, roots: Uint32Array.of(0, 5, 0) }),
      (records) => ({ ...records, ids: records.ids.slice(1) }),
      (records) => ({ ...records, revisions: [...records.revisions] }),
      (records) => ({ ...records, deleted: new Uint8Array(2) }),
      (records) => ({ ...records, ciphertexts: ['AQID', 'AQID', 'AQID'] }),
    ];
    const intact = await decryptor.loadPage({ page });
    expect(intact.records.folderIds).toEqual([page.records[0]!.rootId]);
    for (const change of changes) {
      workers[0]!.reply = (data) => {
        const loaded = (data as { page: LoadedPage }).page;
        return { ...(data as object), page: { ...loaded, records: change(loaded.records) } };
      };
      await expect(decryptor.loadPage({ page })).rejects.toMatchObject({
        code: 'decrypt_worker_failed',
      });
    }
  });

  it('sizes the pool from the reported cores, between 1 and 4', () => {
    expect([undefined, 0, 1, 2, 3, 8, 64].map(decryptPoolSize)).toEqual([1, 1, 1, 2, 3, 4, 4]);
  });
});
