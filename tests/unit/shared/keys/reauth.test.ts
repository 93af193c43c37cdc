import { describe, expect, it } from 'vitest';
import {
  confirmMasterPassword,
  confirmWithThrottle,
  createAccount,
  UnlockThrottle,
} from '../../../../shared/keys/index.ts';
import { rejectedCode } from '../protocol/helpers/errors.ts';
import { FAST_KDF, newAccount, useRealArgon2 } from './helpers/setup.ts';

useRealArgon2();

describe('re-authentication while unlocked (LS-05)', () => {
  it('accepts the master password and leaves the session keys in place', async () => {
    const account = await newAccount();
    const userKey = account.vault.userKey;
    const held = account.vault.heldKeyCount;
    await confirmMasterPassword(account.vault, account.keys, account.masterPassword);
    expect(account.vault.isLocked).toBe(false);
    expect(account.vault.userKey).toBe(userKey);
    expect(account.vault.heldKeyCount).toBe(held);
  });

  it('says wrong_master_password for a wrong one, normalised as at unlock', async () => {
    const account = await newAccount('Caf\u00e9 lantern');
    const code = (password: string) =>
      rejectedCode(confirmMasterPassword(account.vault, account.keys, password));
    expect(await code('Cafe lantern')).toBe('wrong_master_password');
    expect(await code('')).toBe('master_password_empty');
    // NFC, exactly as at unlock: the decomposed form is the same password.
    expect(await code('Cafe\u0301 lantern')).toBe('none');
    expect(account.vault.isLocked).toBe(false);
  });

  it('refuses account keys swapped for ones whose password the attacker knows', async () => {
    const mine = await newAccount();
    // A hostile server serves a well-formed wrap for this very account id, of a user key and
    // under a password the attacker chose: it unwraps, but it is not the session's user key.
    const forged = await createAccount({
      accountId: mine.accountId,
      masterPassword: 'attacker-chosen',
      kdf: FAST_KDF,
    });
    expect(
      await rejectedCode(confirmMasterPassword(mine.vault, forged.keys, 'attacker-chosen')),
    ).toBe('wrong_master_password');
    const other = await newAccount();
    expect(
      await rejectedCode(confirmMasterPassword(mine.vault, other.keys, other.masterPassword)),
    ).toBe('invalid_input');
  });

  it('shares the unlock throttle: repeated wrong passwords are rate_limited', async () => {
    const account = await newAccount();
    const throttle = new UnlockThrottle({ freeAttempts: 1, baseDelayMs: 60_000 });
    const attempt = (password: string, now: number) =>
      rejectedCode(confirmWithThrottle(throttle, account.vault, account.keys, password, now));
    expect(await attempt('wrong', 0)).toBe('wrong_master_password');
    expect(await attempt('wrong', 1)).toBe('wrong_master_password');
    expect(await attempt(account.masterPassword, 2)).toBe('rate_limited');
    expect(await attempt(account.masterPassword, 60_002)).toBe('none');
    expect(throttle.notBefore).toBe(0);
  });
});
