/// <reference types="vite/client" />
import Argon2Worker from './argon2-worker.ts?worker';
import { CofferError } from '../../../shared/errors.ts';
import { isErrorCode } from '../../../shared/protocol/error-codes.ts';
import {
  setArgon2Backend,
  type Argon2Backend,
  type Argon2Input,
} from '../../../shared/crypto/argon2.ts';

/**
 * The renderer's Argon2id backend: every derivation runs in a fresh Web Worker that is
 * terminated as soon as it answers (or fails), because WebAssembly memory never shrinks and the
 * worker's heap holds password bytes (DESIGN.md "Identity and unlock" §4). Running off the main
 * thread also keeps the unlock screen responsive during the ~0.3 s derivation.
 */

let live = 0;

/** Workers currently alive; 0 whenever no derivation is in flight. */
export function liveArgon2Workers(): number {
  return live;
}

function replyToResult(data: unknown, expectedLength: number): Uint8Array {
  if (typeof data === 'object' && data !== null) {
    const reply = data as Record<string, unknown>;
    if (reply.ok === true && reply.key instanceof Uint8Array) {
      if (reply.key.length === expectedLength) return reply.key;
    } else if (reply.ok === false && isErrorCode(reply.code) && typeof reply.message === 'string') {
      throw new CofferError(reply.code, reply.message);
    }
  }
  throw new CofferError('crypto_kdf_unavailable', 'the Argon2id worker sent a malformed reply');
}

export function createWorkerArgon2Backend(): Argon2Backend {
  return (input: Argon2Input) =>
    new Promise<Uint8Array>((resolve, reject) => {
      const worker = new Argon2Worker({ name: 'coffer-argon2' });
      live += 1;
      const finish = () => {
        worker.onmessage = null;
        worker.onerror = null;
        worker.onmessageerror = null;
        worker.terminate();
        live -= 1;
      };
      worker.onmessage = (event: MessageEvent<unknown>) => {
        finish();
        try {
          resolve(replyToResult(event.data, input.params.length));
        } catch (error) {
          reject(error);
        }
      };
      worker.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        finish();
        reject(new CofferError('crypto_kdf_unavailable', 'the Argon2id worker failed to run'));
      };
      worker.onmessageerror = () => {
        finish();
        reject(
          new CofferError('crypto_kdf_unavailable', 'the Argon2id worker reply was unreadable'),
        );
      };
      // Structured clone copies the bytes; the caller's buffers are not transferred away.
      worker.postMessage(input);
    });
}

/** Makes deriveArgon2id use a worker per derivation; call once at renderer start-up. */
export function installWorkerArgon2(): void {
  setArgon2Backend(createWorkerArgon2Backend());
}
