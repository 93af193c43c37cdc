import type { Page } from '@playwright/test';
import { attachOnFailure, expect, keepScreenshot, test } from './fixtures.ts';
import { createFolder, openOwnVault, typeInto, type OwnVault } from './own-vault.ts';

const DIALOG = 'Change master password';

async function fillChange(page: Page, current: string, next: string): Promise<void> {
  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('menuitem', { name: 'Change password' }).click();
  const dialog = page.getByRole('dialog', { name: DIALOG });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText('It cannot be recovered')).toBeVisible();
  await typeInto(page, 'Current master password', current);
  await typeInto(page, /^New master password/, next);
  await typeInto(page, 'Confirm new master password', next);
  await dialog.getByRole('button', { name: 'Change password' }).click();
}

async function lock(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Unlock your vault' })).toBeVisible();
}

async function refusedAtUnlock(page: Page, password: string): Promise<void> {
  await typeInto(page, 'Master password', password);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong master password');
  await expect(page.getByLabel('Master password')).toHaveValue('');
}

async function unlocks(page: Page, password: string): Promise<void> {
  await typeInto(page, 'Master password', password);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('button', { name: 'Folder Production', exact: true })).toBeVisible();
}

/**
 * Issue #4: the master password changes from the account menu. A wrong current password changes
 * nothing; after a change the old password is refused at unlock and the new one opens the same
 * vault (the user key, and so every folder key, is unchanged).
 */
test.describe.serial('changing the master password', () => {
  const original = 'copper meadow lantern quartz 41';
  const replacement = 'violet anchor pepper glacier 83';
  let vault: OwnVault;

  test.beforeAll(async ({ browser }) => {
    vault = await openOwnVault(browser, 'change-password', original);
    await createFolder(vault.page, 'Production');
  });

  attachOnFailure(() => vault);

  test.afterAll(async () => {
    await vault?.close();
  });

  test('refuses a wrong current password and changes nothing', async () => {
    const { page } = vault;
    await fillChange(page, 'copper meadow lantern quartz 14', replacement);
    const dialog = page.getByRole('dialog', { name: DIALOG });
    await expect(dialog.getByRole('alert')).toHaveText(
      'The current master password is wrong. Nothing was changed.',
    );
    await expect(dialog.getByLabel('Current master password')).toHaveValue('');
    await expect(dialog.getByLabel(/^New master password/)).toHaveValue('');
    await keepScreenshot(page, 'change-password-01-wrong-current');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();

    await lock(page);
    await refusedAtUnlock(page, replacement);
    await unlocks(page, original);
  });

  test(
    'changes it: the old password is refused ' + 'at unlock and the new one opens the vault',
    async () => {
      const { page } = vault;
      await fillChange(page, original, replacement);
      const dialog = page.getByRole('dialog', { name: DIALOG });
      await expect(dialog.getByRole('status')).toContainText('Master password changed');
      await keepScreenshot(page, 'change-password-02-changed');
      await dialog.getByRole('button', { name: 'Done' }).click();
      await expect(dialog).toBeHidden();
      // Still unlocked with the same keys: the vault goes on working without a new unlock.
      await createFolder(page, 'Staging');

      await lock(page);
      await refusedAtUnlock(page, original);
      await unlocks(page, replacement);
      await expect(page.getByRole('button', { name: 'Folder Staging', exact: true })).toBeVisible();
    },
  );
});
