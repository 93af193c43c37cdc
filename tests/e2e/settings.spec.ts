import type { Locator, Page } from '@playwright/test';
import {
  clipboardCounts,
  readClipboard,
  reopenWithClock,
  signInAgainAndUnlock,
} from './clocked-vault.ts';
import { attachOnFailure, expect, keepScreenshot, test } from './fixtures.ts';
import { createFolder, createLogin, openOwnVault, typeInto, type OwnVault } from './own-vault.ts';

async function openSettings(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('menuitem', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  return dialog;
}

async function closeSettings(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Settings' })).toBeHidden();
}

const lockMinutes = (dialog: Locator) =>
  dialog.getByRole('textbox', { name: 'Lock after this many idle minutes' });
const clearSeconds = (dialog: Locator) =>
  dialog.getByRole('textbox', { name: 'Clear copied secrets after (seconds)' });
const colorScheme = (page: Page) => page.locator('html').getAttribute('data-mantine-color-scheme');

/**
 * Issue #4 items 5 and 6 in the web vault: the settings screen (server, auto-lock minutes,
 * clipboard-clear seconds, theme) and what each one does, with time driven by Playwright's clock
 * rather than waited for. LS-02 (clear only what Coffer put there) and LS-05 (tampered stored
 * settings fall back to safe defaults) are checked here in Chromium.
 */
test.describe.serial('settings', () => {
  const masterPassword = 'meadow lantern harbour quartz 31';
  const secret = 'Tr0ub4dor&3-settings';
  let vault: OwnVault;

  test.beforeAll(async ({ browser }) => {
    vault = await openOwnVault(browser, 'settings', masterPassword);
    await reopenWithClock(vault, masterPassword);
    await createFolder(vault.page, 'Production');
    await createLogin(vault.page, { title: 'Grafana', username: 'alice', password: secret });
  });

  attachOnFailure(() => vault);

  test.afterAll(async () => {
    await vault?.close();
  });

  test('shows the server and takes the clipboard-clear seconds', async () => {
    const { page } = vault;
    const dialog = await openSettings(page);
    await expect(dialog.getByText(`Server: ${vault.server.url}`)).toBeVisible();
    await expect(lockMinutes(dialog)).toHaveValue('10');
    await expect(clearSeconds(dialog)).toHaveValue('30');
    await keepScreenshot(page, 'settings-01-dialog');
    await clearSeconds(dialog).fill('5');
    await closeSettings(page);
  });

  test('clears a copied secret once the set seconds have passed (LS-02)', async () => {
    const { page } = vault;
    const view = page.getByRole('article', { name: 'Login: Grafana' });
    const before = await clipboardCounts(page);
    await view.getByRole('button', { name: 'Copy Password' }).click();
    await expect(page.getByText('Password copied. The clipboard clears in 5 s.')).toBeVisible();
    await expect.poll(() => readClipboard(page)).toBe(secret);

    await page.clock.runFor(4_000);
    expect(await clipboardCounts(page)).toEqual(before);
    expect(await readClipboard(page)).toBe(secret);

    await page.clock.runFor(1_000);
    await expect
      .poll(() => clipboardCounts(page))
      .toEqual({ checks: before.checks + 1, clears: before.clears + 1 });
    expect(await readClipboard(page)).toBe('');
  });

  test(
    'leaves the clipboard alone if the user ' + 'copied something else meanwhile (LS-02)',
    async () => {
      const { page } = vault;
      const view = page.getByRole('article', { name: 'Login: Grafana' });
      await view.getByRole('button', { name: 'Copy Password' }).click();
      await expect.poll(() => readClipboard(page)).toBe(secret);
      const before = await clipboardCounts(page);

      await page.clock.runFor(2_000);
      await page.evaluate(() => navigator.clipboard.writeText('the user’s own text'));
      await page.clock.runFor(3_000);
      // The app has looked at the clipboard, found someone else's text, and written nothing.
      await expect.poll(async () => (await clipboardCounts(page)).checks).toBe(before.checks + 1);
      expect((await clipboardCounts(page)).clears).toBe(before.clears);
      expect(await readClipboard(page)).toBe('the user’s own text');
    },
  );

  test('locks after the set idle minutes; activity starts the count again', async () => {
    const { page } = vault;
    const dialog = await openSettings(page);
    await lockMinutes(dialog).fill('1');
    await closeSettings(page);
    const folders = page.getByRole('navigation', { name: 'Folders' });
    const locked = page.getByRole('heading', { name: 'Unlock your vault' });

    await page.clock.runFor(50_000);
    await expect(folders).toBeVisible();
    await page.keyboard.press('Shift');
    await page.clock.runFor(50_000);
    await expect(folders).toBeVisible();
    await expect(locked).toHaveCount(0);

    await page.clock.runFor(15_000);
    await expect(locked).toBeVisible();
    await expect(page.getByText('Grafana')).toHaveCount(0);
    await keepScreenshot(page, 'settings-02-locked-after-idle');

    await typeInto(page, 'Master password', masterPassword);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(folders).toBeVisible();
    const again = await openSettings(page);
    await expect(lockMinutes(again)).toHaveValue('1');
    await lockMinutes(again).fill('10');
    await closeSettings(page);
  });

  test('switches the colour scheme: light, dark, and the system’s', async () => {
    const { page } = vault;
    const dialog = await openSettings(page);
    const theme = dialog.getByRole('radiogroup', { name: 'Theme' });
    await expect(theme.getByRole('radio', { name: 'System' })).toBeChecked();

    await page.emulateMedia({ colorScheme: 'light' });
    await theme.getByText('Dark', { exact: true }).click();
    await expect.poll(() => colorScheme(page)).toBe('dark');
    const darkBackground = await page.evaluate(() => getComputedStyle(document.body).background);
    await closeSettings(page);
    await keepScreenshot(page, 'settings-03-dark-vault');

    await openSettings(page);
    await theme.getByText('Light', { exact: true }).click();
    await expect.poll(() => colorScheme(page)).toBe('light');
    expect(await page.evaluate(() => getComputedStyle(document.body).background)).not.toBe(
      darkBackground,
    );

    await theme.getByText('System', { exact: true }).click();
    await expect.poll(() => colorScheme(page)).toBe('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => colorScheme(page)).toBe('dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => colorScheme(page)).toBe('light');
    await theme.getByText('Dark', { exact: true }).click();
    await closeSettings(page);
  });

  test('keeps the settings across a reload', async () => {
    const { page } = vault;
    const dialog = await openSettings(page);
    await lockMinutes(dialog).fill('7');
    await clearSeconds(dialog).fill('12');
    await closeSettings(page);

    await page.reload();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByText(`Vault server: ${vault.server.url}`)).toBeVisible();
    expect(await colorScheme(page)).toBe('dark');

    // The web vault reaches only its own server (first-launch.spec.ts): it offers no other.
    await expect(page.getByRole('button', { name: 'Use a different server' })).toHaveCount(0);

    await signInAgainAndUnlock(page, masterPassword);
    const after = await openSettings(page);
    await expect(lockMinutes(after)).toHaveValue('7');
    await expect(clearSeconds(after)).toHaveValue('12');
    await expect(after.getByRole('radio', { name: 'Dark' })).toBeChecked();
    await closeSettings(page);
  });

  test('LS-05: settings weakened while closed → safe defaults and a warning', async () => {
    const { page } = vault;
    // Someone with the user's files: longest auto-lock, slowest clipboard clearing, the seal
    // left as it was (they cannot make a new one without the vault).
    await page.evaluate(() => {
      const entry = JSON.parse(window.localStorage.getItem('coffer.settings') ?? '{}');
      entry.state.settings = {
        ...entry.state.settings,
        autoLockMinutes: 1440,
        clipboardClearSeconds: 600,
        theme: 'light',
      };
      window.localStorage.setItem('coffer.settings', JSON.stringify(entry));
    });
    await page.reload();
    await signInAgainAndUnlock(page, masterPassword);

    const warning = page.getByRole('alert').filter({ hasText: 'could not be verified' });
    await expect(warning).toContainText('back to their safe defaults');
    await expect(warning).toContainText(`The vault server in use is ${vault.server.url}`);
    await keepScreenshot(page, 'settings-04-tampered-warning');
    const dialog = await openSettings(page);
    await expect(lockMinutes(dialog)).toHaveValue('10');
    await expect(clearSeconds(dialog)).toHaveValue('30');
    await expect(dialog.getByRole('radio', { name: 'System' })).toBeChecked();
    await closeSettings(page);
    await warning.getByRole('button', { name: 'Dismiss' }).click();
    await expect(warning).toBeHidden();
  });

  test('LS-05: values the schema refuses warn too; saving while unlocked signs again', async () => {
    const { page } = vault;
    await page.evaluate((serverUrl) => {
      const tampered = {
        serverUrl,
        autoLockMinutes: 0,
        clipboardClearSeconds: '5; rm -rf ~',
        theme: 'neon',
        autoExportPath: '/tmp/vault-export.csv',
      };
      window.localStorage.setItem(
        'coffer.settings',
        JSON.stringify({ state: { settings: tampered }, version: 1 }),
      );
    }, vault.server.url);
    await page.reload();
    await expect(page.getByText(`Vault server: ${vault.server.url}`)).toBeVisible();
    await signInAgainAndUnlock(page, masterPassword);
    const warning = page.getByRole('alert').filter({ hasText: 'could not be verified' });
    await expect(warning).toBeVisible();

    const dialog = await openSettings(page);
    await expect(lockMinutes(dialog)).toHaveValue('10');
    await expect(clearSeconds(dialog)).toHaveValue('30');
    await expect(dialog.getByRole('radio', { name: 'System' })).toBeChecked();
    await lockMinutes(dialog).fill('15');
    await closeSettings(page);
    // Saving settings while unlocked is keeping them: signed, and the warning goes.
    await expect(warning).toBeHidden();
    await expect
      .poll(async () =>
        JSON.parse(
          (await page.evaluate(() => window.localStorage.getItem('coffer.settings'))) ?? '{}',
        ),
      )
      .toEqual({
        state: {
          settings: {
            serverUrl: vault.server.url,
            autoLockMinutes: 15,
            clipboardClearSeconds: 30,
            theme: 'system',
          },
          settingsSeal: {
            mac: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
            serverUrl: vault.server.url,
          },
        },
        version: 1,
      });

    // Signed: the next unlock finds them authentic and says nothing.
    await page.reload();
    await signInAgainAndUnlock(page, masterPassword);
    await expect(page.getByText('could not be verified')).toHaveCount(0);
    const after = await openSettings(page);
    await expect(lockMinutes(after)).toHaveValue('15');
    await closeSettings(page);
  });
});
