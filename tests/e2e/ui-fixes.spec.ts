import type { BrowserContext, Page } from '@playwright/test';
import { expect, keepScreenshot, recordBrowserLogs, test } from './fixtures.ts';
import { createApplicationWithGrant } from './journey/vault-steps.ts';
import { createFolder, createLogin, openOwnVault, typeInto, type OwnVault } from './own-vault.ts';

/**
 * Issue #4, what a newcomer found in the vault UI: an edit that runs into a change made
 * elsewhere is kept, the open vault picks up changes made elsewhere, and the smaller fixes.
 * A second browser context on the same account is the "elsewhere".
 */
test.describe.serial('the vault UI fixes a newcomer asked for', () => {
  const masterPassword = 'copper willow thimble orchard 61';
  let vault: OwnVault;
  let otherContext: BrowserContext;
  let other: Page;
  let otherLogs: string[] = [];

  /** Signs the same account in from a second browser context and unlocks it. */
  async function openSecondSession(): Promise<Page> {
    otherContext = await vault.context.browser()!.newContext({ baseURL: vault.server.url });
    const page = await otherContext.newPage();
    otherLogs = recordBrowserLogs(page);
    await page.goto('/');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Sign in with the development provider' }).click();
    await page.waitForURL((url) => url.origin !== vault.server.url);
    await page.getByLabel('E-mail').fill(vault.account.email);
    await page.getByLabel('Password').fill(vault.account.idpPassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await typeInto(page, 'Master password', masterPassword);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByRole('navigation', { name: 'Folders' })).toBeVisible();
    return page;
  }

  /** What the app does when its window comes to the front again: a sync from the cursor. */
  async function bringToFront(page: Page): Promise<void> {
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
  }

  async function editUsernameElsewhere(title: string, username: string): Promise<void> {
    await bringToFront(other);
    await other
      .getByRole('listbox', { name: 'Records' })
      .getByRole('option', { name: new RegExp(title) })
      .click();
    await other.getByRole('button', { name: 'Edit' }).click();
    const form = other.getByRole('form', { name: `Edit ${title}` });
    await form.getByLabel('Username').fill(username);
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(other.getByRole('article', { name: `Login: ${title}` })).toBeVisible();
  }

  test.beforeAll(async ({ browser }) => {
    vault = await openOwnVault(browser, 'ui-fixes', masterPassword);
    await createFolder(vault.page, 'Production');
    await createLogin(vault.page, {
      title: 'Billing DB',
      username: 'billing',
      password: 'correct-horse-billing-1',
    });
    other = await openSecondSession();
  });

  // Playwright requires the fixtures argument as an object pattern, even when none is used.
  // eslint-disable-next-line no-empty-pattern
  test.afterEach(async ({}, testInfo) => {
    if (testInfo.status !== testInfo.expectedStatus && vault !== undefined) {
      await testInfo.attach('browser-log', {
        body: [...vault.logs, '--- second session ---', ...otherLogs].join('\n'),
        contentType: 'text/plain',
      });
      await testInfo.attach('screenshot', {
        body: await vault.page.screenshot({ fullPage: true }),
        contentType: 'image/png',
      });
    }
  });

  test.afterAll(async () => {
    await otherContext?.close();
    await vault?.close();
  });

  test('a save that runs into a change made elsewhere keeps the edit and offers a choice', async () => {
    const { page } = vault;
    await page.getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('form', { name: 'Edit Billing DB' });
    await form.getByLabel('Notes').fill('rotated by alice on Tuesday');

    await editUsernameElsewhere('Billing DB', 'billing_v2');

    await form.getByRole('button', { name: 'Save', exact: true }).click();
    const notice = form.getByRole('alert').filter({ hasText: 'Changed elsewhere' });
    await expect(notice).toBeVisible();
    await expect(notice).toBeInViewport();
    await expect(
      notice.getByRole('table', { name: 'What the newer version changed' }),
    ).toContainText('billing_v2');
    // The user's edit is still in the form, not replaced by the newer version.
    await expect(form.getByLabel('Notes')).toHaveValue('rotated by alice on Tuesday');
    await keepScreenshot(page, 'ui-fixes-01-conflict');

    await notice.getByRole('button', { name: 'Keep mine and save' }).click();
    const view = page.getByRole('article', { name: 'Login: Billing DB' });
    await expect(view).toContainText('rotated by alice on Tuesday');
  });

  test('discarding the edit after a conflict shows the newer version', async () => {
    const { page } = vault;
    await page.getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('form', { name: 'Edit Billing DB' });
    await form.getByLabel('Notes').fill('this edit will be discarded');

    await editUsernameElsewhere('Billing DB', 'billing_v3');

    await form.getByRole('button', { name: 'Save', exact: true }).click();
    const notice = form.getByRole('alert').filter({ hasText: 'Changed elsewhere' });
    await notice.getByRole('button', { name: 'Discard mine, use the newer version' }).click();
    await expect(notice).toBeHidden();
    await expect(form.getByLabel('Username')).toHaveValue('billing_v3');
    await expect(form.getByLabel('Notes')).toHaveValue('rotated by alice on Tuesday');
    await form.getByRole('button', { name: 'Cancel' }).click();
  });

  test('the open vault shows a change made elsewhere when its window comes back', async () => {
    const { page } = vault;
    const list = page.getByRole('listbox', { name: 'Records' });
    await editUsernameElsewhere('Billing DB', 'billing_v4');
    await expect(list.getByRole('option', { name: /billing_v4/ })).toHaveCount(0);
    await bringToFront(page);
    await expect(list.getByRole('option', { name: /billing_v4/ })).toBeVisible();
  });

  test('a sync during an edit keeps the edit and says a newer version exists', async () => {
    const { page } = vault;
    await page.getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('form', { name: 'Edit Billing DB' });
    await form.getByLabel('Username').fill('billing_mine');

    await editUsernameElsewhere('Billing DB', 'billing_v5');
    await bringToFront(page);

    const notice = form.getByRole('alert').filter({ hasText: 'Changed elsewhere' });
    await expect(notice).toContainText('billing_v5');
    await expect(form.getByLabel('Username')).toHaveValue('billing_mine');
    // Save alone never writes over a version the user has not seen.
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(notice).toBeVisible();
    await notice.getByRole('button', { name: 'Keep mine and save' }).click();
    await expect(page.getByRole('article', { name: 'Login: Billing DB' })).toContainText(
      'billing_mine',
    );
  });

  test('new-record headings spell each type as its label does', async () => {
    const { page } = vault;
    const headings = [
      ['SSH key', 'New SSH key'],
      ['API key', 'New API key'],
      ['Database credentials', 'New database credentials'],
    ] as const;
    for (const [label, heading] of headings) {
      await page.getByRole('button', { name: 'New record' }).click();
      await page.getByRole('combobox', { name: 'Record type' }).click();
      await page.getByRole('option', { name: label, exact: true }).click();
      await expect(page.getByRole('heading', { name: heading, exact: true })).toBeVisible();
    }
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  test('the password generator and its tooltip stay whole inside the window', async () => {
    const { page } = vault;
    // An API key's secret sits low in the form, where the panel used to run off the window.
    await page.getByRole('button', { name: 'New record' }).click();
    await page.getByRole('combobox', { name: 'Record type' }).click();
    await page.getByRole('option', { name: 'API key', exact: true }).click();
    const form = page.getByRole('form', { name: 'New API key' });
    const generate = form.getByRole('button', { name: 'Generate Secret' });
    await generate.hover();
    await expect(page.getByRole('tooltip', { name: 'Generate' })).toBeInViewport({ ratio: 1 });
    await generate.click();
    const generator = page.getByRole('dialog', { name: 'Generate Secret' });
    await expect(generator).toBeInViewport({ ratio: 1 });
    await keepScreenshot(page, 'ui-fixes-03-generator');
    await generator.getByRole('button', { name: 'Use password', exact: true }).click();
    await expect(generator).toBeHidden();
    await form.getByRole('button', { name: 'Cancel' }).click();
  });

  test('Add device checks the form before asking for the master password', async () => {
    const { page } = vault;
    await createApplicationWithGrant(page, 'Deploys', 'Production');
    const deploysRow = page
      .getByRole('table', { name: 'Applications' })
      .getByRole('row', { name: /Deploys/ });
    await expect(deploysRow.getByRole('cell', { name: 'None', exact: true })).toBeVisible();
    const noDevices = page
      .getByRole('region', { name: 'Application Deploys' })
      .getByText(/No devices yet/);
    await expect(noDevices.locator('code')).toHaveText('coffer init');
    await expect(noDevices).not.toContainText('`');
    await page
      .getByRole('region', { name: 'Application Deploys' })
      .getByRole('button', { name: 'Add device' })
      .click();
    const form = page.getByRole('dialog', { name: 'Add device to Deploys' });
    await form.getByLabel('Device name').fill('runner');
    await form.getByRole('radio', { name: 'CIDR allow-list' }).check();
    await form.getByLabel('Allowed address ranges').fill('203.0.113.0/24\n10.0.0.300/8');
    await form.getByRole('button', { name: 'Issue tokens' }).click();
    await expect(form.getByRole('alert')).toContainText('Not an address range: 10.0.0.300/8');
    await expect(
      page.getByRole('dialog', { name: 'Confirm with your master password' }),
    ).toHaveCount(0);
    await form.getByRole('button', { name: 'Cancel' }).click();
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Vault' })
      .click();
  });

  test('Sign out locks, revokes the session at the server and returns to sign-in', async () => {
    const { page } = vault;
    const authorization = page
      .waitForRequest((request) => new URL(request.url()).pathname === '/api/v1/vault/sync')
      .then((request) => request.headerValue('authorization'));
    await bringToFront(page);
    const token = await authorization;
    expect(token).toMatch(/^Bearer /);
    await keepScreenshot(page, 'ui-fixes-02-header');
    // The account actions sit in a menu so the search box keeps its width at 1280 px.
    const search = await page.getByRole('searchbox', { name: 'Search records' }).boundingBox();
    expect(search?.width).toBeGreaterThanOrEqual(300);

    await page.getByRole('button', { name: 'Account' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByText('Billing DB')).toHaveCount(0);
    const after = await fetch(new URL('/api/v1/vault/sync?cursor=0&limit=1', vault.server.url), {
      headers: { authorization: token ?? '' },
    });
    expect(after.status).toBe(401);
  });
});
