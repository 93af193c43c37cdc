import {
  batchSize,
  failedBatch,
  folderKeyId,
  openRecordBatch,
  type OpenedBatch,
} from '../../../shared/client/index.ts';
import { importAeadKey, type AeadKey } from '../../../shared/crypto/index.ts';
import { isCofferError } from '../../../shared/errors.ts';
import { parseDecryptRequest, transfersOf, type DecryptReply } from './decrypt-messages.ts';

/** Sends a reply to the page, handing over (not copying) the buffers listed. */
export type PostReply = (reply: DecryptReply, transfer: ArrayBuffer[]) => void;

/**
 * The body of a decrypt worker, apart from the worker global so it can be tested on its own.
 * Folder keys arrive as raw bytes, become non-extractable CryptoKeys and the bytes are zeroed at
 * once; the keys live until the pool terminates the worker at lock. Requests are handled in the
 * order they arrive, so a key always precedes the batches that need it. An opened batch's
 * plaintext is transferred to the page, so no copy of it stays in the worker.
 */
export function createDecryptHandler(post: PostReply) {
  const keys = new Map<string, Promise<AeadKey>>();

  async function open(job: number, run: () => Promise<OpenedBatch>): Promise<void> {
    try {
      const batch = await run();
      post({ kind: 'opened', job, batch }, transfersOf(batch));
    } catch (error) {
      post(
        isCofferError(error)
          ? { kind: 'failed', job, code: error.code, message: error.message }
          : { kind: 'failed', job, code: 'decrypt_worker_failed', message: 'Decryption failed.' },
        [],
      );
    }
  }

  return (data: unknown): Promise<void> => {
    let request;
    try {
      request = parseDecryptRequest(data);
    } catch (error) {
      const job =
        typeof data === 'object' &&
        data !== null &&
        typeof (data as { job?: unknown }).job === 'number'
          ? (data as { job: number }).job
          : -1;
      return open(job, () => Promise.reject(error));
    }
    if (request.kind === 'key') {
      const { raw } = request;
      // The CryptoKey holds its own copy; these bytes are zeroed as soon as it exists.
      const imported = importAeadKey(raw).finally(() => raw.fill(0));
      // A failed import is reported by every batch that needs the key, not here.
      imported.catch(() => undefined);
      keys.set(folderKeyId(request.rootId, request.keyVersion), imported);
      return Promise.resolve();
    }
    const { job, batch } = request;
    return open(job, async () => {
      const key = keys.get(folderKeyId(batch.rootId, batch.keyVersion));
      if (key === undefined) return failedBatch(batchSize(batch), 'crypto_wrong_key');
      return openRecordBatch(await key, batch);
    });
  };
}
