import { CofferError } from '../errors.ts';

/**
 * Device-token first-access deadline (DESIGN.md "Applications, one-time tokens and devices"):
 * default 60 minutes after issue, at most 24 hours. A token is redeemable while the server's
 * clock is strictly before the deadline — at the deadline second it is already expired
 * (SECURITY-CASES DT-03). Only the server clock decides.
 */
export const FIRST_ACCESS_DEFAULT_SECONDS = 60 * 60;
export const FIRST_ACCESS_MAX_SECONDS = 24 * 60 * 60;

export function defaultFirstAccessDeadline(nowSeconds: number): number {
  return nowSeconds + FIRST_ACCESS_DEFAULT_SECONDS;
}

/** Throws `invalid_input` unless the deadline lies in (now, now + 24 h]. */
export function checkFirstAccessDeadline(deadline: number, nowSeconds: number): void {
  if (!Number.isSafeInteger(deadline) || deadline <= nowSeconds) {
    throw new CofferError('invalid_input', 'First-access deadline must be in the future.');
  }
  if (deadline - nowSeconds > FIRST_ACCESS_MAX_SECONDS) {
    throw new CofferError('invalid_input', 'First-access deadline must be at most 24 hours ahead.');
  }
}

/** True while a token issued with `deadline` may still be redeemed. */
export function isBeforeDeadline(nowSeconds: number, deadline: number): boolean {
  return nowSeconds < deadline;
}
