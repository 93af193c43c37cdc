/// <reference types="vite/client" />
import SshWorker from './ssh-worker.ts?worker';
import { CofferError } from '../../../../shared/errors.ts';
import { isErrorCode } from '../../../../shared/protocol/error-codes.ts';
import type { SshTask, SshTaskReply, SshTaskResult } from './ssh-task.ts';

function unwrap(data: unknown): SshTaskResult {
  const reply = data as SshTaskReply | null;
  if (reply !== null && typeof reply === 'object') {
    if (reply.ok === true && typeof reply.result === 'object') return reply.result;
    if (reply.ok === false && isErrorCode(reply.code) && typeof reply.message === 'string') {
      throw new CofferError(reply.code, reply.message);
    }
  }
  throw new CofferError('internal_error', 'The SSH key worker sent a malformed reply.');
}

/**
 * Runs SSH import or generation in a fresh Web Worker, so a passphrase KDF that takes seconds
 * never freezes the window. The worker is terminated on answer, failure or abort: its heap held
 * the passphrase and the private key.
 */
export function runSshInWorker(task: SshTask, signal?: AbortSignal): Promise<SshTaskResult> {
  return new Promise<SshTaskResult>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(new CofferError('invalid_input', 'The SSH key operation was cancelled.'));
      return;
    }
    const worker = new SshWorker({ name: 'coffer-ssh' });
    const finish = () => {
      worker.terminate();
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      finish();
      reject(new CofferError('invalid_input', 'The SSH key operation was cancelled.'));
    };
    signal?.addEventListener('abort', onAbort);
    worker.onmessage = (event: MessageEvent<unknown>) => {
      finish();
      try {
        resolve(unwrap(event.data));
      } catch (error) {
        reject(error);
      }
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      finish();
      reject(new CofferError('internal_error', 'The SSH key worker failed to start.'));
    };
    worker.postMessage(task);
  });
}
