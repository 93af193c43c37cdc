import { userEvent } from 'vitest/browser';
import { describe, expect, it, vi } from 'vitest';
import { isCofferError } from '../../../../shared/errors.ts';
import type { AccountKeys } from '../../../../shared/protocol/bodies.ts';
import {
  changeWithThrottle,
  UnlockThrottle,
  unlockAccount,
} from '../../../../shared/keys/index.ts';
import { ChangePasswordDialog } from '../../../../renderer/src/app/ChangePasswordDialog.tsx';
import { newAccount, renderUi, useRealArgon2 } from './fixtures.tsx';

useRealArgon2();

const TITLE = 'Change master password';
const NEW_PASSWORD = 'violet anchor pepper glacier 83';

/** The dialog over a real account: the change runs shared/keys and "stores" what it returns. */
async function setup() {
  const account = await newAccount();
  const throttle = new UnlockThrottle();
  const stored: { keys: AccountKeys } = { keys: account.keys };
  const change = vi.fn(async (current: string, next: string) => {
    stored.keys = await changeWithThrottle(throttle, {
      accountKeys: stored.keys,
      currentPassword: current,
      newPassword: next,
    });
  });
  const onClose = vi.fn();
  const screen = await renderUi(
    <ChangePasswordDialog change={change} userInputs={['alice@example.com']} onClose={onClose} />,
  );
  const dialog = screen.getByRole('dialog', { name: TITLE });
  const fields = {
    current: dialog.getByLabelText('Current master password'),
    next: dialog.getByLabelText(/^New master password/),
    confirmation: dialog.getByLabelText('Confirm new master password'),
  };
  const submit = dialog.getByRole('button', { name: 'Change password' });
  return { account, stored, change, onClose, dialog, fields, submit };
}

async function refused(keys: AccountKeys, password: string): Promise<boolean> {
  try {
    (await unlockAccount(keys, password)).lock();
    return false;
  } catch (error) {
    return isCofferError(error, 'wrong_master_password');
  }
}

describe('change master password dialog', () => {
  it('re-wraps the same user key: the new password unlocks, the old one is refused', async () => {
    const { account, stored, change, dialog, fields, submit } = await setup();
    await expect.element(dialog.getByText('It cannot be recovered')).toBeVisible();
    await fields.current.fill(account.masterPassword);
    await fields.next.fill(NEW_PASSWORD);
    await fields.confirmation.fill(NEW_PASSWORD);
    await submit.click();

    await expect.element(dialog.getByText('Master password changed')).toBeVisible();
    expect(change).toHaveBeenCalledExactlyOnceWith(account.masterPassword, NEW_PASSWORD);
    expect(stored.keys.wrappedUserKey).not.toBe(account.keys.wrappedUserKey);
    expect(stored.keys.kdf.salt).not.toBe(account.keys.kdf.salt);
    expect(stored.keys.encryption).toEqual(account.keys.encryption);
    expect(await refused(stored.keys, account.masterPassword)).toBe(true);
    const reopened = await unlockAccount(stored.keys, NEW_PASSWORD);
    // The user key is unchanged: the session opened before the change still matches it.
    expect(reopened.accountId).toBe(account.vault.accountId);
    reopened.lock();
  });

  it(
    'refuses a wrong current password, says so, ' + 'changes nothing and empties every field',
    async () => {
      const { account, stored, dialog, fields, submit } = await setup();
      await fields.current.fill(`${account.masterPassword}-wrong`);
      await fields.next.fill(NEW_PASSWORD);
      await fields.confirmation.fill(NEW_PASSWORD);
      await submit.click();

      await expect
        .element(dialog.getByRole('alert'))
        .toHaveTextContent('The current master password is wrong. Nothing was changed.');
      expect(stored.keys).toBe(account.keys);
      for (const field of Object.values(fields)) await expect.element(field).toHaveValue('');
      await expect.element(submit).toBeDisabled();
    },
  );

  it('accepts only a strong, confirmed new password, like account creation', async () => {
    const { account, change, dialog, fields, submit } = await setup();
    await fields.current.fill(account.masterPassword);
    await fields.next.fill('password1');
    await fields.confirmation.fill('password1');
    await expect.element(dialog.getByText(/^Strength: (Very weak|Weak)/)).toBeVisible();
    await expect.element(submit).toBeDisabled();

    await fields.next.fill(NEW_PASSWORD);
    await fields.confirmation.fill(`${NEW_PASSWORD}!`);
    await expect.element(dialog.getByText('The two passwords differ.')).toBeVisible();
    await expect.element(submit).toBeDisabled();
    expect(change).not.toHaveBeenCalled();
  });

  it('shows progress while the change runs and cannot be closed until it ends', async () => {
    let finish: () => void = () => undefined;
    const change = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const onClose = vi.fn();
    const screen = await renderUi(
      <ChangePasswordDialog change={change} userInputs={[]} onClose={onClose} />,
    );
    const dialog = screen.getByRole('dialog', { name: TITLE });
    await dialog.getByLabelText('Current master password').fill('old pass phrase here 1');
    await dialog.getByLabelText(/^New master password/).fill(NEW_PASSWORD);
    await dialog.getByLabelText('Confirm new master password').fill(NEW_PASSWORD);
    await dialog.getByRole('button', { name: 'Change password' }).click();

    await expect
      .element(dialog.getByRole('progressbar', { name: 'Changing the master password' }))
      .toBeVisible();
    await expect.element(dialog.getByRole('button', { name: 'Cancel' })).toBeDisabled();
    await userEvent.keyboard('{Escape}');
    expect(onClose).not.toHaveBeenCalled();

    finish();
    await expect.element(dialog.getByText('Master password changed')).toBeVisible();
    await dialog.getByRole('button', { name: 'Done' }).click();
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});
