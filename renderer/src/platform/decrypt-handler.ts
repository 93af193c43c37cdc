import {
  ApiClient,
  checkAnswer,
  failedBatch,
  folderKeyId,
  openRecordBatch,
  SyncPageStore,
  syncPage,
  type LoadedPage,
  type OpenedBatch,
} from '../../../shared/client/index.ts';
import { importAeadKey, type AeadKey } from '../../../shared/crypto/index.ts';
import { CofferError, isCofferError } from '../../../shared/errors.ts';
import { parseDecryptRequest, transfersOf, type DecryptReply } from './decrypt-messages.ts';

/** Sends a reply to the page, handing over (not copying) the buffers listed. */
export type PostReply = (reply: DecryptReply, transfer: ArrayBuffer[]) => void;

const SYNC_PATH = '/api/v1/vault/sync';
/** How server/vault/sync.ts begins a page, cursor first; anything else waits for the parse. */
const PAGE_HEAD = /^\s*\{\s*"cursor"\s*:\s*(\d{1,16})\s*,\s*"more"\s*:\s*(true|false)\b/;

/**
 * The body of a decrypt worker, apart from the worker global so it can be tested on its own.
 * Folder keys arrive as raw bytes, become non-extractable CryptoKeys and the bytes are zeroed at
 * once; the keys live until the pool terminates the worker at lock. The worker fetches and
 * parses the sync pages it is asked for (the megabytes of JSON stay off the page's thread),
 * decodes their blobs, answers each with its records as columns and without a ciphertext, and
 * opens the records the page names by position. An opened batch's plaintext is transferred to
 * the page, so no copy of it stays here. Requests are handled in the order they arrive, so a key
 * always precedes the batches that need it.
 */
export function createDecryptHandler(post: PostReply) {
  const keys = new Map<string, Promise<AeadKey>>();
  const pages = new SyncPageStore();

  async function answer(
    job: number,
    run: () => Promise<{ page: LoadedPage } | { batch: OpenedBatch }>,
  ): Promise<void> {
    try {
      const result = await run();
      if ('page' in result) post({ kind: 'page', job, page: result.page }, []);
      else post({ kind: 'opened', job, batch: result.batch }, transfersOf(result.batch));
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
      return answer(job, () => Promise.reject(error));
    }
    switch (request.kind) {
      case 'key': {
        const { raw } = request;
        // The CryptoKey holds its own copy; these bytes are zeroed as soon as it exists.
        const imported = importAeadKey(raw).finally(() => raw.fill(0));
        // A failed import is reported by every batch that needs the key, not here.
        imported.catch(() => undefined);
        keys.set(folderKeyId(request.rootId, request.keyVersion), imported);
        return Promise.resolve();
      }
      case 'release':
        pages.release(request.page);
        return Promise.resolve();
      case 'fetch': {
        const { job, serverUrl, sessionToken, cursor, limit } = request;
        return answer(job, async () => {
          const api = new ApiClient(serverUrl);
          api.setSessionToken(sessionToken);
          // The next page's cursor, said as early as it is known, so the next request overlaps
          // this page's download and checks. It is a hint: the pool uses the page fetched with
          // it only if this page, once checked, gives the same cursor.
          let hinted = false;
          const hint = (next: unknown, more: unknown) => {
            if (hinted || more !== true || !Number.isSafeInteger(next)) return;
            hinted = true;
            post({ kind: 'next', job, cursor: next as number }, []);
          };
          const { route, json } = await api.requestUnchecked('GET', SYNC_PATH, {
            query: { cursor, limit },
            onPrefix: (text) => {
              const head = PAGE_HEAD.exec(text);
              if (head !== null) hint(Number(head[1]), head[2] === 'true');
            },
          });
          const parsed = (json as { cursor?: unknown; more?: unknown } | null) ?? {};
          hint(parsed.cursor, parsed.more);
          return { page: pages.add(job, checkAnswer(route, json, syncPage)) };
        });
      }
      case 'take': {
        const { job } = request;
        return answer(job, async () => {
          const checked = syncPage.safeParse(request.page);
          if (!checked.success) {
            throw new CofferError('invalid_input', 'decrypt worker request: not a sync page');
          }
          return { page: pages.add(job, checked.data) };
        });
      }
      case 'open': {
        const { job, batch } = request;
        return answer(job, async () => {
          const sealed = pages.sealed(batch);
          const key = keys.get(folderKeyId(batch.rootId, batch.keyVersion));
          if (key === undefined)
            return { batch: failedBatch(sealed.ids.length, 'crypto_wrong_key') };
          return { batch: await openRecordBatch(await key, batch.keyVersion, sealed) };
        });
      }
    }
  };
}
