import { expect, test } from './fixtures.ts';
import { createFolder, openOwnVault, type OwnVault } from './own-vault.ts';
import { totpAt } from './totp-reference.ts';

/**
 * Keyboard shortcuts in the web vault (issue #4 item 6): Ctrl+F and / focus the search box;
 * Ctrl+B, Ctrl+C and Ctrl+Shift+O copy the selected record's username, password and one-time
 * code through the platform clipboard, which locking clears.
 */
test.describe.serial('keyboard shortcuts', () => {
  const secret = 'JBSWY3DPEHPK3PXP';
  let vault: OwnVault;

  test.beforeAll(async ({ browser }) => {
    vault = await openOwnVault(browser, 'shortcuts', 'quartz harbour meadow falcon 19');
  });

  test.afterAll(async () => {
    await vault?.close();
  });

  const clipboard = () => vault.page.evaluate(() => navigator.clipboard.readText());

  test('focuses the search box with Ctrl+F and with /', async () => {
    const { page } = vault;
    const search = page.getByLabel('Search records');
    await expect(search).toHaveAttribute('title', /Copy password: Ctrl\+C/);
    await page.getByRole('navigation', { name: 'Folders' }).click();
    await page.keyboard.press('Control+f');
    await expect(search).toBeFocused();
    await page.getByRole('navigation', { name: 'Folders' }).click();
    await expect(search).not.toBeFocused();
    await page.keyboard.press('/');
    await expect(search).toBeFocused();
    await expect(search).toHaveValue('');
  });

  test('copies the selected record’s username, password and one-time code', async () => {
    const { page } = vault;
    await createFolder(page, 'Production');
    await page.getByRole('button', { name: 'New record' }).click();
    const editor = page.getByRole('form', { name: 'New login' });
    await editor.getByLabel('Title').fill('Grafana');
    await editor.getByLabel('Username').fill('alice@example.com');
    await editor.getByLabel('Password', { exact: true }).fill('Tr0ub4dor&3-grafana');
    await editor
      .getByLabel('One-time code')
      .fill(`otpauth://totp/Example:alice@example.com?secret=${secret}&issuer=Example`);
    await editor.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('listbox', { name: 'Records' }).getByRole('option').first().click();
    await expect(page.getByRole('article', { name: 'Login: Grafana' })).toBeVisible();

    await page.keyboard.press('Control+b');
    await expect(page.getByText('Username copied.', { exact: false })).toBeVisible();
    expect(await clipboard()).toBe('alice@example.com');

    await page.keyboard.press('Control+c');
    await expect.poll(clipboard).toBe('Tr0ub4dor&3-grafana');

    const before = Date.now();
    await page.keyboard.press('Control+Shift+O');
    await expect.poll(clipboard).toMatch(/^\d{6}$/);
    const after = Date.now();
    const copied = await clipboard();
    expect([totpAt(secret, before), totpAt(secret, after)]).toContain(copied);
  });

  test(
    'leaves typing alone: Ctrl+C in the search ' + 'box and / in a field are not shortcuts',
    async () => {
      const { page } = vault;
      await page.evaluate(() => navigator.clipboard.writeText('something else'));
      const search = page.getByLabel('Search records');
      await search.click();
      await page.keyboard.type('graf/');
      await expect(search).toHaveValue('graf/');
      await page.keyboard.press('Control+c');
      expect(await clipboard()).not.toBe('Tr0ub4dor&3-grafana');
      await search.fill('');
    },
  );

  test('clears the clipboard it wrote when the vault locks', async () => {
    const { page } = vault;
    await page.getByRole('listbox', { name: 'Records' }).getByRole('option').first().click();
    await page.keyboard.press('Control+c');
    await expect.poll(clipboard).toBe('Tr0ub4dor&3-grafana');
    await page.keyboard.press('Control+l');
    await expect(page.getByRole('heading', { name: 'Unlock your vault' })).toBeVisible();
    await expect.poll(clipboard).toBe('');
  });
});
