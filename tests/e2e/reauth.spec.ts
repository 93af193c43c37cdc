import type { Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../server/start.ts';
import { attachOnFailure, expect, freePort, keepScreenshot, test } from './fixtures.ts';
import { createApplicationWithGrant } from './journey/vault-steps.ts';
import { createFolder, openOwnVault, typeInto, type OwnVault } from './own-vault.ts';
import { confirmWithMasterPassword, refuseWrongMasterPassword } from './reauth-steps.ts';

const REAUTH = 'Confirm with your master password';

function mainNav(page: Page, label: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: label });
}

/**
 * Issue #4, SECURITY-CASES LS-05 and EL-05 in the web vault: each dangerous action asks for the
 * master password again (a wrong one first, which does nothing), a record's link opens only after
 * its full URL was shown and confirmed, and the server changes only from an unlocked vault,
 * old → new, after the password. A second server of this spec's own is the one to move to.
 */
test.describe.serial('re-authentication, record links and the server change (LS-05)', () => {
  const masterPassword = 'quartz lantern meadow harbour 52';
  const wrongPassword = 'quartz lantern meadow harbour 25';
  let vault: OwnVault;
  let otherDir: string;
  let other: RunningServer;

  test.beforeAll(async ({ browser }) => {
    vault = await openOwnVault(browser, 'reauth', masterPassword);
    await createFolder(vault.page, 'Production');
    otherDir = mkdtempSync(join(tmpdir(), 'coffer-e2e-reauth-other-'));
    other = await startServer({
      listen: { host: '127.0.0.1', port: await freePort() },
      database: join(otherDir, 'coffer.sqlite'),
      logLevel: 'warn',
    });
  });

  attachOnFailure(() => vault);

  test.afterAll(async () => {
    await vault?.close();
    await other?.close();
    if (otherDir !== undefined) rmSync(otherDir, { recursive: true, force: true });
  });

  test('LS-05: device tokens need the master password; a wrong one issues none', async () => {
    const { page } = vault;
    await createApplicationWithGrant(page, 'CI', 'Production');
    const detail = page.getByRole('region', { name: 'Application CI' });
    await detail.getByRole('button', { name: 'Add device' }).click();
    const form = page.getByRole('dialog', { name: 'Add device to CI' });
    await form.getByLabel('Device name').fill('runner');

    await form.getByRole('button', { name: 'Issue tokens' }).click();
    const reauth = page.getByRole('dialog', { name: REAUTH });
    await expect(reauth.getByText('Issue device tokens for CI.')).toBeVisible();
    await reauth.getByRole('button', { name: 'Cancel' }).click();
    await expect(reauth).toBeHidden();
    await expect(form).toBeVisible();

    await form.getByRole('button', { name: 'Issue tokens' }).click();
    await refuseWrongMasterPassword(page, wrongPassword);
    await keepScreenshot(page, 'reauth-01-wrong-password');
    await expect(page.getByRole('dialog', { name: 'Device tokens' })).toHaveCount(0);
    await confirmWithMasterPassword(page, masterPassword);

    const tokens = page.getByRole('dialog', { name: 'Device tokens' });
    await expect(tokens.getByRole('listitem', { name: 'Token for runner' })).toBeVisible();
    await tokens.getByRole('button', { name: 'Done' }).click();
    // One device: the cancelled and the refused attempts issued nothing.
    const devices = page.getByRole('table', { name: 'Devices' });
    await expect(devices.getByRole('row', { name: /runner/ })).toHaveCount(1);
  });

  test('LS-05: an audit export needs the master password; a wrong one exports none', async () => {
    const { page } = vault;
    await mainNav(page, 'Audit log').click();
    await expect(page.getByRole('table', { name: 'Audit events' })).toBeVisible();
    const downloads: string[] = [];
    page.on('download', (download) => downloads.push(download.suggestedFilename()));

    await page.getByRole('button', { name: 'Export JSON lines' }).click();
    await expect(
      page.getByRole('dialog', { name: REAUTH }).getByText('Export the audit log as a file.'),
    ).toBeVisible();
    await refuseWrongMasterPassword(page, wrongPassword);
    expect(downloads).toEqual([]);

    const download = page.waitForEvent('download');
    await confirmWithMasterPassword(page, masterPassword);
    expect((await download).suggestedFilename()).toMatch(/^coffer-audit-.*\.jsonl$/);
    expect(downloads).toHaveLength(1);
  });

  test('EL-05: a record’s link opens only once its full URL was shown and confirmed', async () => {
    const { page, context } = vault;
    await mainNav(page, 'Vault').click();
    // A page of this spec's own server, so nothing leaves this machine.
    const link = `${vault.server.url}/coffer-e2e-link?from=record#section`;
    await page.getByRole('button', { name: 'New record' }).click();
    const editor = page.getByRole('form', { name: 'New login' });
    await editor.getByRole('textbox', { name: 'Title', exact: true }).fill('Status page');
    await editor.getByRole('textbox', { name: 'Website 1', exact: true }).fill(link);
    await editor.getByRole('button', { name: 'Save' }).click();
    const view = page.getByRole('article', { name: 'Login: Status page' });
    await expect(view).toBeVisible();

    const pages = () => context.pages().length;
    const before = pages();
    await view.getByRole('button', { name: 'Open Website' }).click();
    const ask = page.getByRole('dialog', { name: 'Open this link?' });
    await expect(ask.getByText(link, { exact: true })).toBeVisible();
    await expect(ask.getByText('This link is not encrypted (http).')).toBeVisible();
    await keepScreenshot(page, 'reauth-02-open-link');
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await expect(ask).toBeHidden();
    expect(pages()).toBe(before);

    await view.getByRole('button', { name: 'Open Website' }).click();
    const opened = context.waitForEvent('page');
    await ask.getByRole('button', { name: 'Open link' }).click();
    const tab = await opened;
    await tab.waitForURL(link);
    // noopener and noreferrer: the opened page can neither reach the vault nor learn its URL.
    expect(await tab.evaluate(() => [window.opener === null, document.referrer])).toEqual([
      true,
      '',
    ]);
    await tab.close();
  });

  test('LS-05: the server changes only unlocked, old → new, after the password', async () => {
    const { page } = vault;
    await page.getByRole('button', { name: 'Account' }).click();
    await page.getByRole('menuitem', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await expect(settings.getByText(`Server: ${vault.server.url}`)).toBeVisible();
    await settings.getByRole('button', { name: 'Change server…' }).click();
    const address = settings.getByRole('textbox', { name: 'New server address' });
    await address.fill('ftp://files.example.com/vault');
    await settings.getByRole('button', { name: 'Review change' }).click();
    await expect(settings.getByRole('alert')).toContainText('https://host[:port]');
    await address.fill(`${other.url}/`);
    await settings.getByRole('button', { name: 'Review change' }).click();

    const review = settings.getByRole('group', { name: 'Confirm server change' });
    await expect(review.getByText(`From ${vault.server.url}`)).toBeVisible();
    await expect(review.getByText(`To ${other.url}`)).toBeVisible();
    await keepScreenshot(page, 'reauth-03-server-change');
    await review.getByRole('button', { name: 'Change server' }).click();
    await expect(page.getByRole('dialog', { name: REAUTH })).toContainText(
      `Change the vault server to ${other.url}.`,
    );
    await refuseWrongMasterPassword(page, wrongPassword);
    await page
      .getByRole('dialog', { name: REAUTH })
      .getByRole('button', { name: 'Cancel' })
      .click();
    // Nothing changed: still unlocked, on the same server.
    await expect(review).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Folders' })).toBeVisible();

    await review.getByRole('button', { name: 'Change server' }).click();
    await confirmWithMasterPassword(page, masterPassword);
    // Signed out here; the web vault moves to the new server's own page.
    await page.waitForURL((url) => url.origin === other.url);
    await expect(page.getByRole('textbox', { name: 'Server address' })).toHaveValue(other.url);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByText(`Vault server: ${other.url}`)).toBeVisible();

    // The first server's web vault keeps its own settings: it still names itself.
    await page.goto(vault.server.url);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByText(`Vault server: ${vault.server.url}`)).toBeVisible();
  });

  test('LS-05: the vault opens again after the change, with the password unchanged', async () => {
    const { page } = vault;
    await page.getByRole('button', { name: 'Sign in with the development provider' }).click();
    await expect(page.getByRole('heading', { name: 'Unlock your vault' })).toBeVisible();
    await typeInto(page, 'Master password', masterPassword);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByRole('navigation', { name: 'Folders' })).toBeVisible();
    // The web build's settings stay with their own server: no warning, nothing to repair.
    await expect(page.getByText('Your settings could not be verified')).toHaveCount(0);
  });
});
