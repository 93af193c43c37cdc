import { isCofferError } from '../../../../shared/errors.ts';
import type { ErrorCode } from '../../../../shared/protocol/error-codes.ts';
import {
  generateSshKey,
  importSsh,
  type SshKeySpec,
  type SshPrivateKey,
} from '../../../../shared/records/ssh/index.ts';

/**
 * SSH work that may hold the main thread for seconds — bcrypt-kdf with many rounds, PuTTY v3's
 * Argon2id, RSA-4096 generation plus key encryption — described as plain data so it can run in a
 * Web Worker and its answer be structured-cloned back.
 */
export type SshTask =
  | { readonly op: 'import'; readonly text: string; readonly passphrase?: string }
  | {
      readonly op: 'generate';
      readonly spec: SshKeySpec;
      readonly comment?: string;
      readonly passphrase?: string;
    };

/** The facts the editor stores and shows; key material objects stay inside the worker. */
export interface SshKeySummary {
  readonly type: string;
  readonly bits: number;
  readonly comment: string;
  readonly publicKey: string;
  readonly fingerprint: string;
  readonly encrypted: boolean;
  readonly privateKey: string;
  /** The OpenSSH certificate line when one was pasted with the key. */
  readonly certificate: string;
}

export type SshTaskResult =
  | { readonly kind: 'private-key'; readonly key: SshKeySummary }
  | {
      readonly kind: 'public-keys';
      readonly keys: readonly Omit<SshKeySummary, 'privateKey' | 'encrypted' | 'certificate'>[];
    };

export type SshTaskReply =
  | { readonly ok: true; readonly result: SshTaskResult }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

function summary(key: SshPrivateKey): SshKeySummary {
  return {
    type: key.type,
    bits: key.bits,
    comment: key.comment,
    publicKey: key.publicKey,
    fingerprint: key.fingerprint,
    encrypted: key.encrypted,
    privateKey: key.privateKey,
    certificate: key.certificate?.certificate.trim() ?? '',
  };
}

async function run(task: SshTask): Promise<SshTaskResult> {
  const passphrase = task.passphrase === undefined ? {} : { passphrase: task.passphrase };
  if (task.op === 'generate') {
    const comment = task.comment === undefined ? {} : { comment: task.comment };
    return {
      kind: 'private-key',
      key: summary(await generateSshKey(task.spec, { ...comment, ...passphrase })),
    };
  }
  const result = await importSsh(task.text, passphrase);
  if (result.kind === 'private-key') return { kind: 'private-key', key: summary(result.key) };
  return {
    kind: 'public-keys',
    keys: result.keys.map(({ type, bits, comment, publicKey, fingerprint }) => ({
      type,
      bits,
      comment,
      publicKey,
      fingerprint,
    })),
  };
}

/** Runs a task and turns every failure into a reply with a code; messages never hold secrets. */
export async function runSshTask(task: SshTask): Promise<SshTaskReply> {
  try {
    return { ok: true, result: await run(task) };
  } catch (error) {
    if (isCofferError(error)) return { ok: false, code: error.code, message: error.message };
    return { ok: false, code: 'ssh_key_damaged', message: 'The key could not be read.' };
  }
}
