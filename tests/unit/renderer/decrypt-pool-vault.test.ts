import { describe, expect, it } from 'vitest';
import { FIRST_DECRYPT_BATCH, VaultData } from '../../../shared/client/index.ts';
import { isCofferError } from '../../../shared/errors.ts';
import type { WorkerRecordDecryptor } from '../../../renderer/src/platform/decrypt-pool.ts';
import { pool, type InProcessWorker } from './helpers/in-process-worker.ts';
import { vaultWithRecords } from './helpers/sealed-pages.ts';

describe('a vault opened through the decrypt pool', () => {
  it(
    'fills the records and the index batch by ' + 'batch, reporting progress as each lands',
    async () => {
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
    },
  );

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

  it(
    'keeps nothing a lock interrupted: clearing ' + 'mid-sync ends the workers and the sync',
    async () => {
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
    },
  );
});
