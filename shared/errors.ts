import type { ErrorCode } from './protocol/error-codes.ts';

/**
 * The one error type of Coffer: a stable code for programs, a message for people, and the
 * underlying cause kept for diagnosis. Messages never contain secret material: they name the
 * operation and what was wrong with the input's shape, not its content.
 */
export class CofferError extends Error {
  override readonly name = 'CofferError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isCofferError(error: unknown, code?: ErrorCode): error is CofferError {
  return error instanceof CofferError && (code === undefined || error.code === code);
}

/** Ends an exhaustive switch: the compiler proves it unreachable, the runtime reports if not. */
export function assertNever(value: never, what: string): never {
  throw new CofferError('invalid_input', `Unexpected ${what}: ${String(value)}`);
}
