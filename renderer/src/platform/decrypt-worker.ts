import { createDecryptHandler } from './decrypt-handler.ts';
import type { DecryptReply } from './decrypt-messages.ts';

/**
 * One worker of the renderer's decrypt pool (decrypt-pool.ts): opens record batches under the
 * folder keys it was given and posts their list fields and plaintext back. It never ends on its
 * own; the pool terminates it at lock, which is what takes its keys and plaintext away.
 */
interface WorkerScope {
  onmessage: ((event: MessageEvent<unknown>) => void) | null;
  postMessage(message: DecryptReply, transfer: Transferable[]): void;
}

const scope = globalThis as unknown as WorkerScope;
const handle = createDecryptHandler((reply, transfer) => scope.postMessage(reply, transfer));

scope.onmessage = (event) => {
  void handle(event.data);
};
