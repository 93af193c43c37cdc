import type { Vault } from '../keys/index.ts';
import type { LoadedPage } from './sync-pages.ts';
import type { SyncProgress, VaultData } from './vault-data.ts';

/** What one sync run needs: where the vault goes, how to ask for a page, the first page asked. */
export interface SyncRun {
  readonly data: VaultData;
  readonly vault: Vault;
  readonly first: Promise<LoadedPage>;
  loadPage(cursor: number): Promise<LoadedPage>;
  onProgress?: ((progress: SyncProgress) => void) | undefined;
}

/** Progress over every page of a run: each page reports its own count, the run their sum. */
function progressOver(onProgress: SyncRun['onProgress']) {
  const pages = new Map<number, SyncProgress>();
  return (page: number, step: SyncProgress) => {
    pages.set(page, step);
    let done = 0;
    let total = 0;
    for (const p of pages.values()) {
      done += p.done;
      total += p.total;
    }
    onProgress?.({ done, total });
  };
}

/**
 * Pulls every page from the first one's cursor on (issue #4). The next page downloads while
 * this one decrypts, and as many pages decrypt at once as the decryptor takes (two per worker);
 * the cursor moves past a page only once it and every page before it are in. Whatever way the
 * run ends, nothing it started keeps running and no page it loaded stays loaded.
 */
export async function syncPages(run: SyncRun): Promise<void> {
  const { data, vault } = run;
  const report = progressOver(run.onProgress);
  let loading: Promise<LoadedPage> | null = run.first;
  const applying: { cursor: number; done: Promise<void> }[] = [];
  try {
    while (loading !== null) {
      const page: LoadedPage = await loading;
      loading = page.more ? run.loadPage(page.cursor) : null;
      loading?.catch(() => undefined);
      const done = data.applyLoadedPage(vault, page, (step) => report(page.id, step));
      done.catch(() => undefined);
      applying.push({ cursor: page.cursor, done });
      while (applying.length >= data.pagesAtOnce || (loading === null && applying.length > 0)) {
        const first = applying.shift()!;
        await first.done;
        data.cursor = first.cursor;
      }
    }
  } finally {
    await Promise.allSettled(applying.map((a) => a.done));
    void loading?.then(
      (page) => data.releasePage(page),
      () => undefined,
    );
  }
}
