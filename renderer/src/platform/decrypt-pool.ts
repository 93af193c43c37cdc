import {
  batchSize,
  type OpenedBatch,
  type RecordBatch,
  type RecordDecryptor,
} from '../../../shared/client/index.ts';
import { CofferError } from '../../../shared/errors.ts';
import { parseDecryptReply, type DecryptRequest } from './decrypt-messages.ts';

/** The part of a Web Worker the pool uses; tests pass an in-process stand-in. */
export interface WorkerLike {
  onmessage: ((event: MessageEvent<unknown>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  onmessageerror: ((event: MessageEvent<unknown>) => void) | null;
  postMessage(message: DecryptRequest, transfer: Transferable[]): void;
  terminate(): void;
}

/** More workers than this gain nothing: WebCrypto and the main thread's indexing are the limit. */
export const MAX_DECRYPT_WORKERS = 4;

/** One worker per core the browser reports, at least one and at most MAX_DECRYPT_WORKERS. */
export function decryptPoolSize(hardwareConcurrency: number | undefined): number {
  const cores = Number.isInteger(hardwareConcurrency) ? (hardwareConcurrency as number) : 1;
  return Math.max(1, Math.min(MAX_DECRYPT_WORKERS, cores));
}

interface Pending {
  readonly size: number;
  readonly worker: number;
  resolve(results: OpenedBatch): void;
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
 * the unlocked folder keys, opening record batches off the main thread so the list paints and
 * the search index fills while the rest is still being decrypted. Batches go to the worker with
 * the fewest in flight. `dispose()` (at lock) terminates every worker — their keys and any
 * plaintext go with them — and fails what was pending with `vault_locked`.
 */
export class WorkerRecordDecryptor implements RecordDecryptor {
  readonly concurrency: number;
  readonly #workers: WorkerLike[] = [];
  readonly #inFlight: number[] = [];
  readonly #pending = new Map<number, Pending>();
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
      this.#inFlight.push(0);
    }
    // Two batches per worker: one being opened, the next already queued behind it.
    this.concurrency = size * 2;
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

  open(batch: RecordBatch): Promise<OpenedBatch> {
    if (this.#disposed) return Promise.reject(locked());
    const size = batchSize(batch);
    let worker = 0;
    for (let i = 1; i < this.#workers.length; i += 1) {
      if (this.#inFlight[i]! < this.#inFlight[worker]!) worker = i;
    }
    const job = this.#nextJob;
    this.#nextJob += 1;
    return new Promise<OpenedBatch>((resolve, reject) => {
      this.#pending.set(job, { size, worker, resolve, reject });
      this.#inFlight[worker]! += 1;
      this.#workers[worker]!.postMessage({ kind: 'open', job, batch }, []);
    });
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
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const job of pending) job.reject(locked());
  }

  #settle(job: number): Pending | undefined {
    const pending = this.#pending.get(job);
    if (pending === undefined) return undefined;
    this.#pending.delete(job);
    this.#inFlight[pending.worker]! -= 1;
    return pending;
  }

  #onReply(data: unknown): void {
    let reply;
    try {
      reply = parseDecryptReply(data, (job) => this.#pending.get(job)?.size);
    } catch (error) {
      wipeReply(data);
      const job = (data as { job?: unknown } | null)?.job;
      if (typeof job === 'number') this.#settle(job)?.reject(error as CofferError);
      return;
    }
    const pending = this.#settle(reply.job);
    if (reply.kind === 'opened') {
      if (pending === undefined) reply.batch.plaintext.fill(0);
      else pending.resolve(reply.batch);
    } else {
      pending?.reject(new CofferError(reply.code, reply.message));
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
