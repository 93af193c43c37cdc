import type {
  LoadedPage,
  OpenedBatch,
  PageFetch,
  PageFrom,
  RecordBatch,
  RecordDecryptor,
} from '../../../shared/client/index.ts';
import { CofferError } from '../../../shared/errors.ts';
import { parseDecryptReply, type DecryptRequest, type Expected } from './decrypt-messages.ts';

/** The part of a Web Worker the pool uses; tests pass an in-process stand-in. */
export interface WorkerLike {
  onmessage: ((event: MessageEvent<unknown>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  onmessageerror: ((event: MessageEvent<unknown>) => void) | null;
  postMessage(message: DecryptRequest, transfer: Transferable[]): void;
  terminate(): void;
}

/** More workers than this gain nothing: WebCrypto and the main thread's filing are the limit. */
export const MAX_DECRYPT_WORKERS = 4;

/** One worker per core the browser reports, at least one and at most MAX_DECRYPT_WORKERS. */
export function decryptPoolSize(hardwareConcurrency: number | undefined): number {
  const cores = Number.isInteger(hardwareConcurrency) ? (hardwareConcurrency as number) : 1;
  return Math.max(1, Math.min(MAX_DECRYPT_WORKERS, cores));
}

/** Which page a fetch asks for: the same request twice is the same page. */
function fetchKey(fetch: PageFetch): string {
  return [fetch.serverUrl, fetch.sessionToken, fetch.limit, fetch.cursor].join('\n');
}

/** A job sent to a worker and what it must answer with. */
interface Pending {
  readonly expected: Expected;
  readonly worker: number;
  /** For a fetch: what was asked, to fetch the page after it as soon as its cursor is known. */
  readonly fetch?: PageFetch;
  resolve(result: LoadedPage | OpenedBatch): void;
  reject(error: CofferError): void;
}

let liveWorkers = 0;

/** Decrypt workers alive in this page; 0 whenever the vault is locked. */
export function liveDecryptWorkers(): number {
  return liveWorkers;
}

/** Zeroes the plaintext of a reply nobody will use (malformed, or for a job no longer pending). */
function wipeReply(data: unknown): void {
  const plaintext = (data as { batch?: { plaintext?: unknown } } | null)?.batch?.plaintext;
  if (plaintext instanceof Uint8Array) plaintext.fill(0);
}

const locked = () =>
  new CofferError('vault_locked', 'The vault is locked; unlock it with the master password.');

/**
 * The renderer's RecordDecryptor (issue #4): a small pool of Web Workers, each holding a copy of
 * the unlocked folder keys. A worker fetches and parses a sync page itself and opens that page's
 * records, so the page's main thread handles neither the JSON nor the ciphertexts, only the
 * records' ids and the opened list fields. Pages go to the worker with the least work; the
 * batches of a page go where the page is. `dispose()` (at lock) terminates every worker — their
 * keys, pages and any plaintext go with them — and fails what was pending with `vault_locked`.
 */
export class WorkerRecordDecryptor implements RecordDecryptor {
  /** Two batches of a page in flight: one being opened, the next already queued behind it. */
  readonly concurrency = 2;
  readonly pagesAtOnce: number;
  readonly #workers: WorkerLike[] = [];
  /** Jobs and loaded pages per worker, to choose where the next page goes. */
  readonly #work: number[] = [];
  readonly #pending = new Map<number, Pending>();
  /** Which worker holds each loaded page. */
  readonly #pageWorker = new Map<number, number>();
  /** The page fetched ahead of the sync asking for it, and the next one waiting its turn. */
  #prefetched: { readonly key: string; readonly page: Promise<LoadedPage> } | null = null;
  #waitingNext: PageFetch | null = null;
  #nextJob = 0;
  #disposed = false;

  constructor(spawn: () => WorkerLike, size: number) {
    for (let i = 0; i < size; i += 1) {
      const worker = spawn();
      liveWorkers += 1;
      worker.onmessage = (event) => this.#onReply(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        this.#failWorker(i, 'A decrypt worker stopped unexpectedly.');
      };
      worker.onmessageerror = () => this.#failWorker(i, 'A decrypt worker reply was unreadable.');
      this.#workers.push(worker);
      this.#work.push(0);
    }
    // Two pages per worker: a worker that finishes one page has the next one already, instead
    // of idling until the page's thread sees the first done and hands out another.
    this.pagesAtOnce = size * 2;
  }

  async addFolderKey(rootId: string, keyVersion: number, raw: Uint8Array): Promise<void> {
    if (this.#disposed) throw locked();
    if (raw.length !== 32) throw new CofferError('invalid_input', 'A folder key has 32 bytes.');
    for (const worker of this.#workers) {
      // Each worker gets its own copy, transferred: no extra copy stays on this thread.
      const copy = raw.slice();
      worker.postMessage({ kind: 'key', rootId, keyVersion, raw: copy }, [copy.buffer]);
    }
  }

  loadPage(from: PageFrom): Promise<LoadedPage> {
    if (from.fetch === undefined)
      return this.#load({ kind: 'page' }, (job) => ({ kind: 'take', job, page: from.page }));
    const prefetched = this.#prefetched;
    if (prefetched !== null && prefetched.key === fetchKey(from.fetch)) {
      this.#prefetched = null;
      const waiting = this.#waitingNext;
      this.#waitingNext = null;
      if (waiting !== null) this.#prefetch(waiting);
      return prefetched.page;
    }
    return this.#fetch(from.fetch);
  }

  #fetch(fetch: PageFetch): Promise<LoadedPage> {
    const { serverUrl, sessionToken, cursor, limit } = fetch;
    return this.#load(
      { kind: 'page' },
      (job) => ({ kind: 'fetch', job, serverUrl, sessionToken, cursor, limit }),
      fetch,
    );
  }

  /**
   * A page's worker said which cursor the next page starts from, before checking its own page:
   * that next page is requested now, one ahead at most, so the server works on it while this
   * page is checked and handed over (the pages of a sync chain one to the next).
   */
  #nextKnown(fetch: PageFetch, cursor: number): void {
    const next = { ...fetch, cursor };
    if (this.#prefetched === null) this.#prefetch(next);
    else this.#waitingNext = next;
  }

  #prefetch(fetch: PageFetch): void {
    const page = this.#fetch(fetch);
    page.catch(() => undefined);
    this.#prefetched = { key: fetchKey(fetch), page };
  }

  async #load(
    expected: Expected,
    request: (job: number) => DecryptRequest,
    fetch?: PageFetch,
  ): Promise<LoadedPage> {
    let worker = 0;
    for (let i = 1; i < this.#workers.length; i += 1) {
      if (this.#work[i]! < this.#work[worker]!) worker = i;
    }
    const page = (await this.#send(worker, expected, request, fetch)) as LoadedPage;
    this.#pageWorker.set(page.id, worker);
    this.#work[worker]! += 1;
    return page;
  }

  async open(batch: RecordBatch): Promise<OpenedBatch> {
    if (this.#disposed) throw locked();
    const worker = this.#pageWorker.get(batch.page);
    if (worker === undefined) {
      throw new CofferError('invalid_input', 'The batch names a page that is not loaded.');
    }
    const size = batch.positions.length;
    return (await this.#send(worker, { kind: 'opened', size }, (job) => ({
      kind: 'open',
      job,
      batch,
    }))) as OpenedBatch;
  }

  releasePage(page: number): void {
    const worker = this.#pageWorker.get(page);
    if (worker === undefined || this.#disposed) return;
    this.#pageWorker.delete(page);
    this.#work[worker]! -= 1;
    this.#workers[worker]!.postMessage({ kind: 'release', page }, []);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const worker of this.#workers) {
      worker.onmessage = null;
      worker.onerror = null;
      worker.onmessageerror = null;
      worker.terminate();
      liveWorkers -= 1;
    }
    this.#workers.length = 0;
    this.#pageWorker.clear();
    this.#prefetched = null;
    this.#waitingNext = null;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const job of pending) job.reject(locked());
  }

  #send(
    worker: number,
    expected: Expected,
    request: (job: number) => DecryptRequest,
    fetch?: PageFetch,
  ): Promise<LoadedPage | OpenedBatch> {
    if (this.#disposed) return Promise.reject(locked());
    const job = this.#nextJob;
    this.#nextJob += 1;
    return new Promise((resolve, reject) => {
      this.#pending.set(job, { expected, worker, resolve, reject, ...(fetch && { fetch }) });
      this.#work[worker]! += 1;
      this.#workers[worker]!.postMessage(request(job), []);
    });
  }

  #settle(job: number): Pending | undefined {
    const pending = this.#pending.get(job);
    if (pending === undefined) return undefined;
    this.#pending.delete(job);
    this.#work[pending.worker]! -= 1;
    return pending;
  }

  #onReply(data: unknown): void {
    let reply;
    try {
      reply = parseDecryptReply(data, (job) => this.#pending.get(job)?.expected);
    } catch (error) {
      wipeReply(data);
      const job = (data as { job?: unknown } | null)?.job;
      if (typeof job === 'number') this.#settle(job)?.reject(error as CofferError);
      return;
    }
    if (reply.kind === 'next') {
      const fetch = this.#pending.get(reply.job)?.fetch;
      if (fetch !== undefined) this.#nextKnown(fetch, reply.cursor);
      return;
    }
    const pending = this.#settle(reply.job);
    if (reply.kind === 'failed') {
      pending?.reject(new CofferError(reply.code, reply.message));
    } else if (reply.kind === 'page') {
      pending?.resolve(reply.page);
    } else if (pending === undefined) {
      reply.batch.plaintext.fill(0);
    } else {
      pending.resolve(reply.batch);
    }
  }

  #failWorker(worker: number, message: string): void {
    for (const [job, pending] of [...this.#pending]) {
      if (pending.worker !== worker) continue;
      this.#settle(job);
      pending.reject(new CofferError('decrypt_worker_failed', message));
    }
  }
}
