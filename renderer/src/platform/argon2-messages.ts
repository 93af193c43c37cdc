import type { ErrorCode } from '../../../shared/protocol/error-codes.ts';

/** The one reply an Argon2 worker sends before it is terminated. */
export type Argon2WorkerReply =
  { ok: true; key: Uint8Array } | { ok: false; code: ErrorCode; message: string };
