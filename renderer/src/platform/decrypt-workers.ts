/// <reference types="vite/client" />
import type { RecordDecryptorFactory } from '../../../shared/client/index.ts';
import DecryptWorker from './decrypt-worker.ts?worker';
import { decryptPoolSize, WorkerRecordDecryptor, type WorkerLike } from './decrypt-pool.ts';

/**
 * The factory the renderer gives its VaultClient: a fresh pool of real Web Workers per unlock,
 * sized from navigator.hardwareConcurrency unless `size` says (the benchmark compares sizes).
 * Kept apart from decrypt-pool.ts, which has no bundler-specific import and so runs in unit
 * tests.
 */
export function workerDecryptorFactory(size?: number): RecordDecryptorFactory {
  return () =>
    new WorkerRecordDecryptor(
      () => new DecryptWorker({ name: 'coffer-decrypt' }) as unknown as WorkerLike,
      size ?? decryptPoolSize(globalThis.navigator?.hardwareConcurrency),
    );
}
