import { isCofferError } from '../../../shared/errors.ts';
import type { ErrorCode } from '../../../shared/protocol/error-codes.ts';

/**
 * The text shown for a failure. CofferError messages are written for people and never carry
 * secret content; anything else (a library's own Error) may quote its input, so it is replaced
 * by a fixed sentence.
 */
export function messageOf(error: unknown, fallback = 'Something went wrong. Try again.'): string {
  return isCofferError(error) ? error.message : fallback;
}

export function codeOf(error: unknown): ErrorCode | undefined {
  return isCofferError(error) ? error.code : undefined;
}
