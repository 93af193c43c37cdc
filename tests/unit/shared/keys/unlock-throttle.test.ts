import { describe, expect, it } from 'vitest';
import { unlockWithThrottle, UnlockThrottle } from '../../../../shared/keys/index.ts';
import vector from '../../../fixtures/protocol/account.json';
import { rejectedCode, thrownCode, thrownError } from '../protocol/helpers/errors.ts';
import { useRealArgon2 } from './helpers/setup.ts';

useRealArgon2();

describe('local unlock throttle (CR-09)', () => {
  it('allows three wrong passwords, then doubles the wait up to the cap', () => {
    const throttle = new UnlockThrottle({ freeAttempts: 3, baseDelayMs: 1000, maxDelayMs: 8000 });
    const t = 1_000_000;
    for (let i = 0; i < 3; i += 1) throttle.recordFailure(t);
    expect(thrownCode(() => throttle.assertMayAttempt(t))).toBe('none');
    const waits: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      throttle.recordFailure(t);
      waits.push(throttle.notBefore - t);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 8000]);
  });

  it('refuses an early attempt with rate_limited, saying how long to wait', () => {
    const throttle = new UnlockThrottle({ freeAttempts: 0, baseDelayMs: 30_000 });
    throttle.recordFailure(0);
    const error = thrownError(() => throttle.assertMayAttempt(10_000));
    expect(error.code).toBe('rate_limited');
    expect(error.message).toMatch(/20 s/);
    expect(thrownCode(() => throttle.assertMayAttempt(30_000))).toBe('none');
  });

  it('counts only wrong passwords, and a success resets it', async () => {
    const throttle = new UnlockThrottle({ freeAttempts: 1, baseDelayMs: 60_000 });
    const weak = { ...vector.accountKeys, kdf: { ...vector.accountKeys.kdf, passes: 1 } };
    expect(await rejectedCode(unlockWithThrottle(throttle, weak, vector.password, 0))).toBe(
      'kdf_parameters_too_weak',
    );
    expect(await rejectedCode(unlockWithThrottle(throttle, vector.accountKeys, 'nope', 0))).toBe(
      'wrong_master_password',
    );
    expect(throttle.notBefore).toBe(0);
    await unlockWithThrottle(throttle, vector.accountKeys, vector.password, 0);
    expect(await rejectedCode(unlockWithThrottle(throttle, vector.accountKeys, 'no', 0))).toBe(
      'wrong_master_password',
    );
    expect(await rejectedCode(unlockWithThrottle(throttle, vector.accountKeys, 'no', 1))).toBe(
      'wrong_master_password',
    );
    expect(await rejectedCode(unlockWithThrottle(throttle, vector.accountKeys, 'no', 2))).toBe(
      'rate_limited',
    );
  });
});
