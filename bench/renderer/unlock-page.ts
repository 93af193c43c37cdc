import { VaultClient, type RecordEntry } from '../../shared/client/index.ts';
import { deriveArgon2id, utf8 } from '../../shared/crypto/index.ts';
import { DEFAULT_KDF_PARAMS } from '../../shared/keys/index.ts';
import { installWorkerArgon2 } from '../../renderer/src/platform/argon2-client.ts';
import { liveDecryptWorkers } from '../../renderer/src/platform/decrypt-pool.ts';
import { workerDecryptorFactory } from '../../renderer/src/platform/decrypt-workers.ts';
import { createVisibleRecords } from '../../renderer/src/state/visible-records.ts';

/**
 * Runs in Chromium (built and served by unlock.bench.ts): the renderer's own unlock and sync
 * path — VaultClient over real fetch to the bench's loopback server, Argon2id in its worker,
 * records opened by the worker pool (or on the main thread, the baseline) — timed from the
 * moment the master password is submitted.
 */

export interface UnlockTimes {
  kdfMs: number;
  firstRowsMs: number;
  searchableMs: number;
  records: number;
  workersAfterLock: number;
}

const ROWS_SHOWN = 30;

function paintRows(entries: readonly RecordEntry[]): Promise<number> {
  const list = document.getElementById('rows')!;
  list.replaceChildren(
    ...entries.slice(0, ROWS_SHOWN).map((entry) => {
      const row = document.createElement('li');
      row.textContent = entry.summary.title;
      return row;
    }),
  );
  // The rows are painted by the frame after they enter the DOM.
  return new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
}

/** The vault the last run left unlocked for searchLatency (one more Argon2 run costs 64 MiB). */
let kept: VaultClient | null = null;

async function unlockVault(
  password: string,
  inWorkers: boolean,
  keep = false,
  poolSize?: number,
): Promise<UnlockTimes> {
  const client = new VaultClient({
    serverUrl: location.origin,
    pageSize: 5000,
    ...(inWorkers ? { createDecryptor: workerDecryptorFactory(poolSize) } : {}),
  });
  await client.session.signIn('recorded-bench-token');
  document.getElementById('rows')!.replaceChildren();
  const started = performance.now();
  await client.unlock(password);
  const unlocked = performance.now();
  let firstPaint: Promise<number> | null = null;
  await client.sync(() => {
    firstPaint ??= paintRows([...client.data.records.values()]);
  });
  const searchable = performance.now();
  const painted = await (firstPaint ?? Promise.resolve(NaN));
  const records = client.data.index.size;
  if (keep) kept = client;
  else client.lock();
  return {
    kdfMs: unlocked - started,
    firstRowsMs: painted - unlocked,
    searchableMs: searchable - unlocked,
    records,
    workersAfterLock: keep ? 0 : liveDecryptWorkers(),
  };
}

export interface SearchTimes {
  index: number[];
  list: number[];
  prepareMs: number;
  matches: number;
}

/**
 * Keystroke by keystroke: the prebuilt index alone, then, in a second pass (so it cannot reuse
 * the first pass's matches), the list the app shows (filter + search, in the sorted order).
 */
function searchLatency(typed: readonly string[]): SearchTimes {
  const client = kept;
  if (client === null) throw new Error('unlockVault(…, keep) must run first');
  kept = null;
  const records = [...client.data.records.values()];
  const folders = client.data.folders.all();
  const queries = typed.flatMap((text) => [...text].map((_, n) => text.slice(0, n + 1)));
  const index: number[] = [];
  const list: number[] = [];
  let matches = 0;
  for (const query of queries) {
    const t0 = performance.now();
    matches = client.data.index.search(query).length;
    index.push(performance.now() - t0);
  }
  // As the list view does: one memoised pipeline, so the sort is paid once, before typing.
  const visibleRecords = createVisibleRecords();
  const shown = { typeFilter: 'all', sort: 'title', folderId: null } as const;
  const p0 = performance.now();
  visibleRecords(records, folders, client.data.index, { ...shown, query: '' });
  const prepareMs = performance.now() - p0;
  for (const query of queries) {
    const t0 = performance.now();
    const shownNow = visibleRecords(records, folders, client.data.index, { ...shown, query });
    list.push(performance.now() - t0);
    if (query === queries.at(-1) && shownNow.length !== matches) {
      throw new Error(`the list shows ${shownNow.length} records, the index matched ${matches}`);
    }
  }
  client.lock();
  return { index, list, prepareMs, matches };
}

/** Argon2id alone, at the defaults, in its worker: the KDF's share of an unlock's CPU time. */
async function kdfOnly(password: string): Promise<number> {
  const started = performance.now();
  const { memoryKiB, passes, lanes } = DEFAULT_KDF_PARAMS;
  const salt = crypto.getRandomValues(new Uint8Array(16));
  (await deriveArgon2id(utf8(password), salt, { memoryKiB, passes, lanes, length: 32 })).fill(0);
  return performance.now() - started;
}

installWorkerArgon2();
Object.assign(globalThis, { unlockVault, searchLatency, kdfOnly, benchReady: true });
