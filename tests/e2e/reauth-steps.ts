import type { Page } from '@playwright/test';
import { expect } from './fixtures.ts';

const DIALOG = 'Confirm with your master password';

/**
 * Answers the re-authentication dialog a dangerous action opens (LS-05) with `masterPassword`,
 * typed through the DevTools input domain like every master password in these specs, and waits
 * for it to close.
 */
export async function confirmWithMasterPassword(page: Page, masterPassword: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: DIALOG });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Master password').click();
  await page.keyboard.insertText(masterPassword);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog).toBeHidden();
}

/** Tries a wrong password first: the dialog says so, stays open and empties the field. */
export async function refuseWrongMasterPassword(page: Page, wrong: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: DIALOG });
  await expect(dialog).toBeVisible();
  const field = dialog.getByLabel('Master password');
  await field.click();
  await page.keyboard.insertText(wrong);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog.getByRole('alert')).toHaveText(
    'Wrong master password. Check it and try again.',
  );
  await expect(field).toHaveValue('');
  await expect(dialog).toBeVisible();
}
