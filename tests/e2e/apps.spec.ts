import type { BrowserContext, Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../server/start.ts';
import { attachOnFailure, expect, keepScreenshot, recordBrowserLogs, test } from './fixtures.ts';
import { confirmWithMasterPassword } from './reauth-steps.ts';

/** A port the OS reports free on 127.0.0.1 right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * An admin's work with applications, device tokens and the audit log in the web vault. It runs
 * on a server of its own, started like the global one: the development provider has a single
 * demo user, who enrols once, and vault.spec.ts needs that first enrolment on the shared server.
 */
test.describe.serial('applications, device tokens and the audit log', () => {
  const masterPassword = 'harbour quartz meadow falcon 77';
  const demoEmail = 'alice@example.com';
  const idpPassword = `demo-${randomBytes(9).toString('base64url')}`;
  let dir: string;
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let logs: string[];
  let token = '';

  test.beforeAll(async ({ browser }) => {
    dir = mkdtempSync(join(tmpdir(), 'coffer-e2e-apps-'));
    server = await startServer({
      listen: { host: '127.0.0.1', port: await freePort() },
      database: join(dir, 'coffer.sqlite'),
      logLevel: 'warn',
      devIdentityProvider: {
        enabled: true,
        port: await freePort(),
        demoEmail,
        demoPassword: idpPassword,
      },
    });
    context = await browser.newContext({ baseURL: server.url });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    page = await context.newPage();
    logs = recordBrowserLogs(page);
  });

  attachOnFailure(() => (page === undefined ? undefined : { page, logs }));

  test.afterAll(async () => {
    await context?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('signs in, creates the vault and a top-level folder', async () => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Sign in with the development provider' }).click();
    await page.waitForURL((url) => url.origin !== server.url);
    await page.getByLabel('E-mail').fill(demoEmail);
    await page.getByLabel('Password').fill(idpPassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Create your master password' })).toBeVisible();
    await page.getByLabel(/^Master password/).fill(masterPassword);
    await page.getByLabel('Confirm master password').fill(masterPassword);
    await page.getByRole('button', { name: 'Create vault' }).click();

    await page.getByRole('button', { name: 'New folder' }).click();
    const dialog = page.getByRole('dialog', { name: 'New folder' });
    await dialog.getByLabel('Folder name').fill('CI');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(page.getByRole('button', { name: 'Folder CI', exact: true })).toBeVisible();
  });

  test('creates an application and grants it the folder read-only', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('button', { name: 'Applications' }).click();
    await expect(nav.getByRole('button', { name: 'Applications' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    await expect(page.getByText('No applications yet.')).toBeVisible();
    await keepScreenshot(page, 'apps-01-empty');

    await page.getByRole('button', { name: 'New application' }).click();
    const create = page.getByRole('dialog', { name: 'New application' });
    await create.getByLabel('Application name').fill('GitHub Actions');
    await create.getByRole('button', { name: 'Create' }).click();
    await expect(create).toBeHidden();

    const detail = page.getByRole('region', { name: 'Application GitHub Actions' });
    await expect(detail.getByText('No folders granted.')).toBeVisible();
    await detail.getByRole('combobox', { name: 'Folder to grant' }).click();
    await page.getByRole('option', { name: 'CI' }).click();
    await detail.getByRole('button', { name: 'Grant folder' }).click();
    const grants = detail.getByRole('table', { name: 'Granted folders' });
    await expect(grants.getByRole('cell', { name: 'CI', exact: true })).toBeVisible();
    await expect(grants.getByRole('radio', { name: 'Read-only' })).toBeChecked();

    const apps = page.getByRole('table', { name: 'Applications' });
    const row = apps.getByRole('row', { name: /GitHub Actions/ });
    await expect(row.getByRole('cell').nth(1)).toHaveText('1');
    await keepScreenshot(page, 'apps-02-application');
  });

  test('adds a first-use device and shows its token once, with the snippets', async () => {
    const detail = page.getByRole('region', { name: 'Application GitHub Actions' });
    await detail.getByRole('button', { name: 'Add device' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add device to GitHub Actions' });
    await expect(dialog.getByLabel('First-access window (minutes)')).toHaveValue('60');
    await expect(dialog.getByRole('radio', { name: 'First use' })).toBeChecked();
    await expect(
      dialog.getByText(/the address that redeems the token is the only one/),
    ).toBeVisible();
    await dialog.getByRole('radio', { name: 'CIDR allow-list' }).check();
    await expect(dialog.getByText(/Pick it for CI runners/)).toBeVisible();
    await dialog.getByRole('radio', { name: 'First use' }).check();
    await dialog.getByLabel('Device name').fill('deploy-box');
    await keepScreenshot(page, 'apps-03-add-device');
    await dialog.getByRole('button', { name: 'Issue tokens' }).click();
    await confirmWithMasterPassword(page, masterPassword);

    const tokens = page.getByRole('dialog', { name: 'Device tokens' });
    await expect(tokens.getByText('These tokens will not be shown again')).toBeVisible();
    const item = tokens.getByRole('listitem', { name: 'Token for deploy-box' });
    token = (await item.locator('pre, code').first().innerText()).trim();
    expect(token.length).toBeGreaterThan(40);
    await expect(tokens.getByLabel('On the machine', { exact: true })).toContainText(
      `printf '%s' "$TOKEN" | coffer init`,
    );
    await expect(tokens.getByLabel('In CI (GitHub Actions)', { exact: true })).toContainText(
      '${{ secrets.COFFER_CONFIG }}',
    );
    await expect(tokens.getByLabel('On the machine', { exact: true })).not.toContainText(token);
    await keepScreenshot(page, 'apps-04-token-once');

    await item.getByRole('button', { name: 'Copy token for deploy-box' }).click();
    await expect(page.getByText(/Token copied; the clipboard clears in/)).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  });

  test('closing the dialog wipes the token from the page and from storage', async () => {
    await page
      .getByRole('dialog', { name: 'Device tokens' })
      .getByRole('button', { name: 'Done' })
      .click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    const devices = page.getByRole('table', { name: 'Devices' });
    await expect(devices.getByRole('row', { name: /deploy-box/ })).toContainText('Pending');
    expect(await page.content()).not.toContain(token);
    const stored = await page.evaluate(() =>
      JSON.stringify({ ...window.localStorage, ...window.sessionStorage }),
    );
    expect(stored).not.toContain(token);
    await detailReopensWithoutToken(page, token);
  });

  test('revokes the device after confirmation', async () => {
    const devices = page.getByRole('table', { name: 'Devices' });
    await devices.getByRole('button', { name: 'Revoke device deploy-box' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke device “deploy-box”?' });
    await expect(confirm).toContainText('Its token can no longer be redeemed.');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(devices.getByRole('row', { name: /deploy-box/ })).toContainText('Pending');

    await devices.getByRole('button', { name: 'Revoke device deploy-box' }).click();
    await page
      .getByRole('dialog', { name: 'Revoke device “deploy-box”?' })
      .getByRole('button', { name: 'Revoke device' })
      .click();
    await expect(devices.getByRole('row', { name: /deploy-box/ })).toContainText('Revoked');
    await expect(devices.getByRole('button', { name: 'Revoke device deploy-box' })).toHaveCount(0);
  });

  test('lists the events in the audit view and verifies the chain', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Audit log' })
      .click();
    const events = page.getByRole('table', { name: 'Audit events' });
    const device = 'deploy-box (GitHub Actions)';
    // Newest first, as sentences naming the user, the device with its application, the folder.
    const newest = [
      `${demoEmail} revoked device ${device}`,
      `${demoEmail} issued a device token for ${device}`,
      `${demoEmail} gave GitHub Actions read-only access to folder “CI”`,
      `${demoEmail} created application GitHub Actions`,
      `${demoEmail} created folder “CI”`,
    ];
    const rows = events.getByRole('row');
    for (const [i, sentence] of newest.entries()) {
      await expect(
        rows
          .nth(i + 1)
          .getByRole('cell')
          .nth(1),
      ).toHaveText(sentence);
    }
    await expect(rows.nth(1).getByRole('cell')).toHaveText([
      /\S/,
      newest[0] ?? '',
      'success',
      demoEmail,
      'GitHub Actions',
      device,
      '127.0.0.1',
      /^\d+$/,
    ]);
    // Applications' date formatter: the devices table and the audit view write moments alike.
    const time = rows.nth(1).locator('time');
    const moment = Date.parse((await time.getAttribute('datetime')) ?? 'not a time');
    const formatted = await page.evaluate(
      (ms) => new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }),
      moment,
    );
    await expect(time).toHaveText(formatted);
    await page.getByRole('combobox', { name: 'Event' }).click();
    await page.getByRole('option', { name: 'Device revoked', exact: true }).click();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(1).getByRole('cell').nth(1)).toHaveText(newest[0] ?? '');

    const verify = page.getByRole('region', { name: 'Chain verification' });
    await expect(verify.getByText('Not verified from this app yet.')).toBeVisible();
    await verify.getByRole('button', { name: 'Verify chain' }).click();
    await expect(verify.getByRole('status')).toContainText('events verified');
    await expect(verify.getByRole('status')).toContainText('remembered');
    await keepScreenshot(page, 'audit-01-verified');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export JSON lines' }).click();
    await confirmWithMasterPassword(page, masterPassword);
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^coffer-audit-.*\.jsonl$/);

    await verify.getByRole('button', { name: 'Verify chain' }).click();
    await expect(verify.getByRole('status')).toContainText('consistent with the last verification');
    const remembered = await page.evaluate(() =>
      window.localStorage.getItem('coffer.audit.verifiedHeads'),
    );
    expect(remembered).toMatch(/"hash":"[0-9a-f]{64}"/);
    expect(remembered).not.toContain(token);
  });

  test('locking leaves the admin screens and their data behind', async () => {
    await page.keyboard.press('Control+l');
    await expect(page.getByRole('heading', { name: 'Unlock your vault' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Audit events' })).toHaveCount(0);
    await page.getByLabel('Master password').fill(masterPassword);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByRole('navigation', { name: 'Folders' })).toBeVisible();
  });
});

/** Going to another screen and back shows the devices, never the token again. */
async function detailReopensWithoutToken(page: Page, token: string): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Vault' }).click();
  await nav.getByRole('button', { name: 'Applications' }).click();
  await expect(page.getByRole('table', { name: 'Devices' })).toBeVisible();
  expect(await page.content()).not.toContain(token);
}
