import { afterEach, describe, expect, it } from 'vitest';
import {
  FIRST_DECRYPT_BATCH,
  InThreadRecordDecryptor,
  VaultData,
  type OpenedBatch,
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
 * messages are structured-cloned with their transfer lists both ways, as postMessage does, and
 * answered asynchronously. It records the key bytes it received so the test can see them zeroed,
 * and the plaintext it sent so the test can see it left the worker.
 */
class InProcessWorker implements WorkerLike {
  onmessage: ((event: MessageEvent<unknown>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: ((event: MessageEvent<unknown>) => void) | null = null;
  terminated = false;
  readonly receivedKeys: Uint8Array[] = [];
  /** The plaintext buffers this worker sent, as it still sees them after sending. */
  readonly sentPlaintexts: Uint8Array[] = [];
  reply: (data: unknown) => unknown = (data) => data;
  readonly #handle = createDecryptHandler((reply, transfer) => {
    const copy = structuredClone(reply, { transfer });
    if (reply.kind === 'opened') this.sentPlaintexts.push(reply.batch.plaintext);
    if (!this.terminated) this.onmessage?.({ data: this.reply(copy) } as MessageEvent<unknown>);
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
  const batch: RecordBatch = {
    rootId,
    keyVersion: 1,
    ids,
    folderIds: ids.map(() => rootId),
    revisions: ids.map(() => 1),
    ciphertexts: blobs.map((blob) => toBase64Url(blob)),
  };
  return { raw, rootId, batch };
}

/** Records `from` to `to` (exclusive) of a batch, as a batch of their own. */
function slice(batch: RecordBatch, from: number, to?: number): RecordBatch {
  return {
    ...batch,
    ids: batch.ids.slice(from, to),
    folderIds: batch.folderIds.slice(from, to),
    revisions: batch.revisions.slice(from, to),
    ciphertexts: batch.ciphertexts.slice(from, to),
  };
}

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
  it('opens batches in its workers to the same records the in-thread decryptor gives', async () => {
    const { raw, rootId, batch } = await sealedBatch(40);
    const { decryptor, workers } = pool(2);
    opened.push(decryptor);
    const inThread = new InThreadRecordDecryptor();
    await decryptor.addFolderKey(rootId, 1, raw);
    await inThread.addFolderKey(rootId, 1, raw);
    const halves = await Promise.all(
      [slice(batch, 0, 20), slice(batch, 20)].map((b) => decryptor.open(b)),
    );
    const whole = await inThread.open(batch);
    expect(halves.flatMap(outcomes)).toEqual(outcomes(whole));
    expect(halves.flatMap(outcomes)).toEqual(Array.from({ length: 40 }, (_, i) => `Service ${i}`));
    expect(halves[1]!.subtitles[3]).toBe('alice23@example.com');
    expect(halves[1]!.searchTexts[3]).toBe(whole.searchTexts[23]);
    expect(whole.searchTexts[23]).toContain('service 23');
    expect(whole.searchTexts[23]).not.toContain('pw-23');
    // The whole record travels as its JSON, decoded only when it is opened, and was handed
    // over: the workers keep no copy.
    expect(plaintextOf(halves[1]!, 3)).toMatchObject({ title: 'Service 23', password: 'pw-23' });
    expect(workers.flatMap((w) => w.sentPlaintexts).map((p) => p.byteLength)).toEqual([0, 0]);
  });

  it('quarantines a tampered, a replayed, an unkeyed and an invalid record one by one', async () => {
    const { raw, rootId, batch } = await sealedBatch(3);
    const { decryptor } = pool(1);
    opened.push(decryptor);
    await decryptor.addFolderKey(rootId, 1, raw);
    const first = batch.ciphertexts[0]!;
    const flipped = `${first.slice(0, -2)}${first.endsWith('AA') ? 'BA' : 'AA'}`;
    const results = await decryptor.open({
      ...batch,
      ciphertexts: [flipped, ...batch.ciphertexts.slice(1)],
      revisions: [1, 2, 1],
    });
    expect(results.codes).toEqual(['crypto_integrity_failed', 'crypto_integrity_failed', null]);
    expect(results.ends[1]).toBe(0);
    expect(results.plaintext.length).toBe(results.ends[2]);
    const unkeyed = await decryptor.open({ ...batch, keyVersion: 2 });
    expect(unkeyed.codes.every((code) => code === 'crypto_wrong_key')).toBe(true);

    // A record whose list fields fail the schema is quarantined at once, its bytes not kept.
    const key = await importAeadKey(raw);
    const id = randomId();
    const bad = utf8(JSON.stringify({ type: 'login', schemaVersion: 1, title: '' }));
    const sealed = await seal(
      key,
      bad,
      recordAad({ folderId: rootId, recordId: id, keyVersion: 1, revision: 1, schemaVersion: 1 }),
    );
    const invalid = await decryptor.open({
      ...slice(batch, 2),
      ids: [id, batch.ids[2]!],
      folderIds: [rootId, rootId],
      revisions: [1, 1],
      ciphertexts: [toBase64Url(sealed), batch.ciphertexts[2]!],
    });
    expect(invalid.codes).toEqual(['record_invalid', null]);
    expect(invalid.ends[0]).toBe(0);
  });

  it('gives each worker its own copy of a key and each worker zeroes its copy', async () => {
    const { raw, rootId, batch } = await sealedBatch(2);
    const { decryptor, workers } = pool(3);
    opened.push(decryptor);
    await decryptor.addFolderKey(rootId, 1, raw);
    await decryptor.open(batch);
    await Promise.all(workers.map(() => decryptor.open(slice(batch, 0, 1))));
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
    workers[0]!.reply = (data) => {
      const batch = (data as { batch: OpenedBatch }).batch;
      return { ...(data as object), batch: { ...batch, types: ['login', 'no-such-type'] } };
    };
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
