import { createDecryptHandler } from '../../../../renderer/src/platform/decrypt-handler.ts';
import type { DecryptRequest } from '../../../../renderer/src/platform/decrypt-messages.ts';
import {
  WorkerRecordDecryptor,
  type WorkerLike,
} from '../../../../renderer/src/platform/decrypt-pool.ts';

/**
 * A Web Worker stand-in that runs the real worker body (createDecryptHandler) in this process:
 * messages are structured-cloned with their transfer lists both ways, as postMessage does, and
 * answered asynchronously. It records the key bytes it received so the test can see them zeroed,
 * and the plaintext it sent so the test can see it left the worker.
 */
export class InProcessWorker implements WorkerLike {
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

/** A decrypt pool of `size` in-process workers. */
export function pool(size: number) {
  const workers: InProcessWorker[] = [];
  const decryptor = new WorkerRecordDecryptor(() => {
    const worker = new InProcessWorker();
    workers.push(worker);
    return worker;
  }, size);
  return { decryptor, workers };
}
