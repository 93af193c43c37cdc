import { afterEach, describe, expect, it } from 'vitest';
import {
  FIRST_DECRYPT_BATCH,
  InThreadRecordDecryptor,
  VaultData,
  type RecordBatch,
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
import { createDecryptHandler } from '../../../renderer/src/platform/decrypt-handler.ts';
import type { DecryptRequest } from '../../../renderer/src/platform/decrypt-messages.ts';
import {
  decryptPoolSize,
  liveDecryptWorkers,
  WorkerRecordDecryptor,
  type WorkerLike,
} from '../../../renderer/src/platform/decrypt-pool.ts';

/**
 * A Web Worker stand-in that runs the real worker body (createDecryptHandler) in this process:
 * messages are structured-cloned with their transfer lists, as postMessage does, and answered
 * asynchronously. It records the key bytes it received so the test can see them zeroed.
 */
class InProcessWorker implements WorkerLike {
  onmessage: ((event: MessageEvent<unknown>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: ((event: MessageEvent<unknown>) => void) | null = null;
  terminated = false;
  readonly receivedKeys: Uint8Array[] = [];
  reply: (data: unknown) => unknown = (data) => data;
  readonly #handle = createDecryptHandler((reply) => {
    if (!this.terminated) this.onmessage?.({ data: this.reply(reply) } as MessageEvent<unknown>);
  });

  postMessage(message: DecryptRequest, transfer: Transferable[]): void {
    const copy = structuredClone(message, { transfer });
    if (copy.kind === 'key') this.receivedKeys.push(copy.raw);
    setTimeout(() => void this.#handle(copy), 0);
  }

  terminate(): void {
    this.terminated = true;
  }
}

function pool(size: number) {
  const workers: InProcessWorker[] = [];
  const decryptor = new WorkerRecordDecryptor(() => {
    const worker = new InProcessWorker();
    workers.push(worker);
    return worker;
  }, size);
  return { decryptor, workers };
}

function loginInput(i: number) {
  return {
    type: 'login' as const,
    schemaVersion: 1 as const,
    title: `Service ${i}`,
    username: `alice${i}@example.com`,
    password: `pw-${i}`,
  };
}

async function sealedBatch(count: number, raw = generateAeadKeyBytes()) {
  const key = await importAeadKey(raw);
  const rootId = randomId();
  const records = Array.from({ length: count }, () => ({
    id: randomId(),
    folderId: rootId,
    revision: 1,
  }));
  const blobs = await sealMany(
    key,
    records.map((r, i) => ({
      data: encodeRecord(loginInput(i)).bytes,
      aad: recordAad({
        folderId: r.folderId,
        recordId: r.id,
        keyVersion: 1,
        revision: 1,
        schemaVersion: 1,
      }),
    })),
  );
  const batch: RecordBatch = {
    rootId,
    keyVersion: 1,
    records: records.map((r, i) => ({ ...r, ciphertext: toBase64Url(blobs[i]!) })),
  };
  return { raw, rootId, batch };
}

const opened: WorkerRecordDecryptor[] = [];
afterEach(() => {
  for (const d of opened.splice(0)) d.dispose();
});

describe('the renderer decrypt pool', () => {
  it('opens batches in its workers to the same records the in-thread decryptor gives', async () => {
    const { raw, rootId, batch } = await sealedBatch(40);
    const { decryptor } = pool(2);
    opened.push(decryptor);
    const inThread = new InThreadRecordDecryptor();
    await decryptor.addFolderKey(rootId, 1, raw);
    await inThread.addFolderKey(rootId, 1, raw);
    const halves: RecordBatch[] = [
      { ...batch, records: batch.records.slice(0, 20) },
      { ...batch, records: batch.records.slice(20) },
    ];
    const fromPool = (await Promise.all(halves.map((b) => decryptor.open(b)))).flat();
    expect(fromPool).toEqual(await inThread.open(batch));
    expect(fromPool.map((r) => (r.ok ? r.record.title : r.code))).toEqual(
      Array.from({ length: 40 }, (_, i) => `Service ${i}`),
    );
  });

  it('quarantines a tampered, a replayed and an unkeyed record one by one', async () => {
    const { raw, rootId, batch } = await sealedBatch(3);
    const { decryptor } = pool(1);
    opened.push(decryptor);
    await decryptor.addFolderKey(rootId, 1, raw);
    const first = batch.records[0]!;
    const flipped = `${first.ciphertext.slice(0, -2)}${first.ciphertext.endsWith('AA') ? 'BA' : 'AA'}`;
    const results = await decryptor.open({
      ...batch,
      records: [
        { ...first, ciphertext: flipped },
        { ...batch.records[1]!, revision: 2 },
        batch.records[2]!,
      ],
    });
    expect(results.map((r) => r.ok || r.code)).toEqual([
      'crypto_integrity_failed',
      'crypto_integrity_failed',
      true,
    ]);
    const unkeyed = await decryptor.open({ ...batch, keyVersion: 2 });
    expect(unkeyed.every((r) => !r.ok && r.code === 'crypto_wrong_key')).toBe(true);
  });

  it('gives each worker its own copy of a key and each worker zeroes its copy', async () => {
    const { raw, rootId, batch } = await sealedBatch(2);
    const { decryptor, workers } = pool(3);
    opened.push(decryptor);
    await decryptor.addFolderKey(rootId, 1, raw);
    await decryptor.open(batch);
    await Promise.all(
      workers.map(() => decryptor.open({ ...batch, records: [batch.records[0]!] })),
    );
    expect(raw.some((b) => b !== 0)).toBe(true);
    for (const worker of workers) {
      expect(worker.receivedKeys).toHaveLength(1);
      expect(worker.receivedKeys[0]!.every((b) => b === 0)).toBe(true);
    }
  });

  it('terminates every worker at dispose and fails pending and later work as locked', async () => {
    const { raw, rootId, batch } = await sealedBatch(5);
    const before = liveDecryptWorkers();
    const { decryptor, workers } = pool(2);
    expect(liveDecryptWorkers()).toBe(before + 2);
    await decryptor.addFolderKey(rootId, 1, raw);
    const pending = decryptor.open(batch);
    decryptor.dispose();
    await expect(pending).rejects.toMatchObject({ code: 'vault_locked' });
    await expect(decryptor.open(batch)).rejects.toMatchObject({ code: 'vault_locked' });
    await expect(decryptor.addFolderKey(rootId, 1, raw)).rejects.toMatchObject({
      code: 'vault_locked',
    });
    expect(workers.every((w) => w.terminated)).toBe(true);
    expect(liveDecryptWorkers()).toBe(before);
  });

  it('refuses a malformed worker reply and a crashed worker with decrypt_worker_failed', async () => {
    const { raw, rootId, batch } = await sealedBatch(2);
    const { decryptor, workers } = pool(1);
    opened.push(decryptor);
    await decryptor.addFolderKey(rootId, 1, raw);
    workers[0]!.reply = (data) => ({ ...(data as object), results: [{ ok: true, record: 7 }] });
    await expect(decryptor.open(batch)).rejects.toMatchObject({ code: 'decrypt_worker_failed' });
    workers[0]!.reply = () => ({ kind: 'opened' });
    const lost = decryptor.open(batch);
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
    const rootId = randomId();
    const wrapped = await seal(userKey, folderRaw, folderKeyAad(rootId, 1));
    const { batch: full } = await sealedBatchIn(rootId, folderRaw, count);
    const page: SyncResponse = {
      cursor: count + 1,
      more: false,
      memberships: [
        { folderId: rootId, role: 'owner', wrappedKey: toBase64Url(wrapped), keyVersion: 1 },
      ],
      folders: [
        {
          id: rootId,
          rootId,
          parentId: null,
          name: toBase64Url(
            await seal(
              await importAeadKey(folderRaw),
              utf8('Production'),
              folderNameAad(rootId, 1),
            ),
          ),
          keyVersion: 1,
          revision: 1,
          seq: 1,
          deleted: false,
          updatedAt: 0,
        },
      ],
      records: full.records.map((r, i) => ({
        ...r,
        rootId,
        seq: i + 2,
        deleted: false,
        updatedAt: i,
      })),
    };
    return { vault, page };
  }

  async function sealedBatchIn(rootId: string, raw: Uint8Array, count: number) {
    const key = await importAeadKey(raw);
    const ids = Array.from({ length: count }, () => randomId());
    const blobs = await sealMany(
      key,
      ids.map((id, i) => ({
        data: encodeRecord(loginInput(i)).bytes,
        aad: recordAad({
          folderId: rootId,
          recordId: id,
          keyVersion: 1,
          revision: 1,
          schemaVersion: 1,
        }),
      })),
    );
    return {
      batch: {
        rootId,
        keyVersion: 1,
        records: ids.map((id, i) => ({
          id,
          folderId: rootId,
          revision: 1,
          ciphertext: toBase64Url(blobs[i]!),
        })),
      },
    };
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
