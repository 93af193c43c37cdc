import { Button } from '@mantine/core';
import { userEvent } from 'vitest/browser';
import { describe, expect, it, vi } from 'vitest';
import { confirmWithThrottle, UnlockThrottle } from '../../../../shared/keys/index.ts';
import { useReauthGate } from '../../../../renderer/src/reauth/use-reauth.tsx';
import { newAccount, renderUi, useRealArgon2 } from './fixtures.tsx';

useRealArgon2();

/** A dangerous action behind the gate, checked by the real unlock path of shared/keys. */
function Guarded(props: {
  readonly verify: (password: string) => Promise<void>;
  readonly action: () => void;
  readonly answers?: boolean[];
}) {
  const gate = useReauthGate(props.verify);
  return (
    <>
      <Button
        onClick={() =>
          void gate.confirm('Export the audit log as a file.').then((confirmed) => {
            props.answers?.push(confirmed);
            if (confirmed) props.action();
          })
        }
      >
        Export
      </Button>
      {gate.dialog}
    </>
  );
}

async function setup(throttle = new UnlockThrottle()) {
  const account = await newAccount();
  const verify = vi.fn((password: string) =>
    confirmWithThrottle(throttle, account.vault, account.keys, password),
  );
  const action = vi.fn();
  const answers: boolean[] = [];
  const screen = await renderUi(<Guarded verify={verify} action={action} answers={answers} />);
  return { account, verify, action, answers, screen };
}

describe('re-authentication gate (LS-05)', () => {
  it('runs nothing on a wrong password and says so; the right one runs it once', async () => {
    const { account, action, answers, screen } = await setup();
    const userKey = account.vault.userKey;
    await screen.getByRole('button', { name: 'Export' }).click();
    const dialog = screen.getByRole('dialog', { name: 'Confirm with your master password' });
    await expect.element(dialog).toBeVisible();
    await expect.element(dialog.getByText('Export the audit log as a file.')).toBeVisible();

    const password = dialog.getByLabelText('Master password');
    await password.fill(`${account.masterPassword}-wrong`);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await expect.element(dialog.getByRole('alert')).toHaveTextContent('Wrong master password');
    await expect.element(password).toHaveValue('');
    expect(action).not.toHaveBeenCalled();

    await password.fill(account.masterPassword);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await expect.element(dialog).not.toBeInTheDocument();
    expect(action).toHaveBeenCalledTimes(1);
    expect(answers).toEqual([true]);
    // Checked, not re-unlocked: the session keeps the very keys it had.
    expect(account.vault.isLocked).toBe(false);
    expect(account.vault.userKey).toBe(userKey);
  });

  it('answers no on cancel and on Escape, and runs nothing', async () => {
    const { action, answers, screen } = await setup();
    await screen.getByRole('button', { name: 'Export' }).click();
    const dialog = screen.getByRole('dialog', { name: 'Confirm with your master password' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.element(dialog).not.toBeInTheDocument();

    await screen.getByRole('button', { name: 'Export' }).click();
    await expect.element(dialog).toBeVisible();
    await userEvent.keyboard('{Escape}');
    await expect.element(dialog).not.toBeInTheDocument();
    expect(answers).toEqual([false, false]);
    expect(action).not.toHaveBeenCalled();
  });

  it('is throttled like unlock: repeated wrong passwords are refused before the KDF', async () => {
    const throttle = new UnlockThrottle({ freeAttempts: 1, baseDelayMs: 60_000 });
    const { account, action, verify, screen } = await setup(throttle);
    await screen.getByRole('button', { name: 'Export' }).click();
    const dialog = screen.getByRole('dialog', { name: 'Confirm with your master password' });
    const password = dialog.getByLabelText('Master password');
    for (const attempt of ['wrong-1', 'wrong-2']) {
      await password.fill(attempt);
      await dialog.getByRole('button', { name: 'Confirm' }).click();
      await expect.element(dialog.getByRole('alert')).toHaveTextContent('Wrong master password');
      await expect.element(password).toHaveValue('');
    }
    await password.fill(account.masterPassword);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await expect
      .element(dialog.getByRole('alert'))
      .toHaveTextContent(/Too many wrong master passwords; try again in \d+ s/);
    expect(verify).toHaveBeenCalledTimes(3);
    expect(action).not.toHaveBeenCalled();
  });

  it('answers no when the asking component goes away (the vault locked meanwhile)', async () => {
    const { answers, screen } = await setup();
    await screen.getByRole('button', { name: 'Export' }).click();
    await expect
      .element(screen.getByRole('dialog', { name: 'Confirm with your master password' }))
      .toBeVisible();
    await screen.unmount();
    await vi.waitFor(() => expect(answers).toEqual([false]));
  });
});
