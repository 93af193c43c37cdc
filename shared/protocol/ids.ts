import { CofferError } from '../errors.ts';

/**
 * Every Coffer id (account, folder, record, application, device, attachment) is 22 base64url
 * characters — 128 random or derived bits — and never starts with "-" so that a command line
 * cannot mistake it for an option. Ids are not sequential (SECURITY-CASES AC-01).
 */
export const ID_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/;

export function isCofferId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/** Throws `invalid_input` naming `what` when `value` is not a Coffer id. */
export function assertCofferId(value: unknown, what: string): asserts value is string {
  if (!isCofferId(value)) {
    throw new CofferError('invalid_input', `${what} must be a 22-character Coffer id.`);
  }
}

/** Throws `invalid_input` unless `value` is an integer in [min, Number.MAX_SAFE_INTEGER]. */
export function assertCounter(value: unknown, what: string, min: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new CofferError('invalid_input', `${what} must be an integer of at least ${min}.`);
  }
}
