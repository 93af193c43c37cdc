import { CofferError, isCofferError } from '../errors.ts';
import { changeMasterPassword, confirmMasterPassword, unlockAccount } from './account.ts';
import type { AccountKeys } from '../protocol/bodies.ts';
import type { Vault } from './vault.ts';

/**
 * Local throttle on master-password attempts (SECURITY-CASES CR-09, OA-08). Argon2id already
 * costs about a second per guess; this adds an exponentially growing wait after a few wrong
 * passwords so that someone at an unlocked-but-idle screen cannot script guesses. Only a wrong
 * password counts: refused KDF parameters or malformed data say nothing about the password.
 * The clock is passed in, so the policy is a pure function of the attempt history.
 */
export interface UnlockThrottleOptions {
  /** Wrong passwords allowed before the first wait. */
  readonly freeAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

export class UnlockThrottle {
  readonly #freeAttempts: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  #failures = 0;
  #notBefore = 0;

  constructor(options: UnlockThrottleOptions = {}) {
    this.#freeAttempts = options.freeAttempts ?? 3;
    this.#baseDelayMs = options.baseDelayMs ?? 1000;
    this.#maxDelayMs = options.maxDelayMs ?? 5 * 60 * 1000;
  }

  /** Earliest time (ms since the epoch) the next attempt is allowed. */
  get notBefore(): number {
    return this.#notBefore;
  }

  /** Throws `rate_limited`, saying how long to wait, when an attempt now is too early. */
  assertMayAttempt(nowMs: number): void {
    if (nowMs >= this.#notBefore) return;
    const seconds = Math.ceil((this.#notBefore - nowMs) / 1000);
    throw new CofferError(
      'rate_limited',
      `Too many wrong master passwords; try again in ${seconds} s.`,
    );
  }

  recordFailure(nowMs: number): void {
    this.#failures += 1;
    const over = this.#failures - this.#freeAttempts;
    if (over <= 0) return;
    const delay = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** Math.min(over - 1, 30));
    this.#notBefore = nowMs + delay;
  }

  recordSuccess(): void {
    this.#failures = 0;
    this.#notBefore = 0;
  }
}

async function throttled<T>(
  throttle: UnlockThrottle,
  nowMs: number,
  attempt: () => Promise<T>,
): Promise<T> {
  throttle.assertMayAttempt(nowMs);
  try {
    const result = await attempt();
    throttle.recordSuccess();
    return result;
  } catch (error) {
    if (isCofferError(error, 'wrong_master_password')) throttle.recordFailure(nowMs);
    throw error;
  }
}

/** `unlockAccount` behind the throttle: refused early, failures counted, success resets. */
export async function unlockWithThrottle(
  throttle: UnlockThrottle,
  accountKeys: unknown,
  masterPassword: string,
  nowMs: number = Date.now(),
): Promise<Vault> {
  return throttled(throttle, nowMs, () => unlockAccount(accountKeys, masterPassword));
}

/**
 * `confirmMasterPassword` behind the same throttle as unlock, so re-authentication prompts are
 * no side door for guessing (LS-05).
 */
export async function confirmWithThrottle(
  throttle: UnlockThrottle,
  vault: Vault,
  accountKeys: unknown,
  masterPassword: string,
  nowMs: number = Date.now(),
): Promise<void> {
  await throttled(throttle, nowMs, () => confirmMasterPassword(vault, accountKeys, masterPassword));
}

/**
 * `changeMasterPassword` behind the same throttle: its current-password check is the
 * re-authentication (LS-05), so it must count wrong guesses exactly as unlock does.
 */
export async function changeWithThrottle(
  throttle: UnlockThrottle,
  options: Parameters<typeof changeMasterPassword>[0],
  nowMs: number = Date.now(),
): Promise<AccountKeys> {
  return throttled(throttle, nowMs, () => changeMasterPassword(options));
}
