import type { BrowserContext, Page } from '@playwright/test';
import {
  attachOnFailure,
  e2eServer,
  expect,
  keepScreenshot,
  recordBrowserLogs,
  test,
} from './fixtures.ts';

/**
 * One person's first day with the web vault, in order: sign in through the provider's real
 * login page, create the master password, build folders and records, search, lock and unlock.
 * The steps share one page because the development provider has one demo user, who enrols once.
 */
test.describe.serial('the web vault', () => {
  const server = e2eServer();
  const masterPassword = 'orbit velvet canyon lantern 42';
  let context: BrowserContext;
  let page: Page;
  let logs: string[];

  test.beforeAll(async ({ browser }) => {
    context = await browser.newContext({ baseURL: server.url });
    page = await context.newPage();
    logs = recordBrowserLogs(page);
  });

  attachOnFailure(() => (page === undefined ? undefined : { page, logs }));

  test.afterAll(async () => {
    await context.close();
  });

  test('signs in through the provider login page and creates the master password', async () => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Connect to your vault server' })).toBeVisible();
    await expect(page.getByLabel('Server address')).toHaveValue(server.url);
    await keepScreenshot(page, '01-server');
    await page.getByRole('button', { name: 'Continue' }).click();

    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await keepScreenshot(page, '02-sign-in');
    await page.getByRole('button', { name: 'Sign in with the development provider' }).click();

    // The provider's own page, on its own origin.
    await page.waitForURL((url) => url.origin !== server.url);
    await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
    await page.getByLabel('E-mail').fill(server.email);
    await page.getByLabel('Password').fill(server.idpPassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    await expect(page.getByRole('heading', { name: 'Create your master password' })).toBeVisible();
    expect(new URL(page.url()).search).toBe('');
    await expect(page.getByText('It cannot be recovered')).toBeVisible();
    const create = page.getByRole('button', { name: 'Create vault' });
    await page.getByLabel(/^Master password/).fill('password1');
    await expect(page.getByText(/Strength: (Very weak|Weak)/)).toBeVisible();
    await expect(create).toBeDisabled();
    await page.getByLabel(/^Master password/).fill(masterPassword);
    await expect(page.getByText(/Strength: (Strong|Very strong)/)).toBeVisible();
    await page.getByLabel('Confirm master password').fill(`${masterPassword}x`);
    await expect(page.getByText('The two passwords differ.')).toBeVisible();
    await expect(create).toBeDisabled();
    await page.getByLabel('Confirm master password').fill(masterPassword);
    await keepScreenshot(page, '03-create-master-password');
    await create.click();

    await expect(page.getByRole('navigation', { name: 'Folders' })).toBeVisible();
    await expect(page.getByText('No folders yet.')).toBeVisible();
    await keepScreenshot(page, '04-empty-vault');
  });

  test('creates nested folders', async () => {
    await page.getByRole('button', { name: 'New folder' }).click();
    const dialog = page.getByRole('dialog', { name: 'New folder' });
    await dialog.getByLabel('Folder name').fill('Production');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(dialog).toBeHidden();

    await page.getByRole('button', { name: 'Actions for folder Production' }).click();
    await page.getByRole('menuitem', { name: 'New sub-folder' }).click();
    const sub = page.getByRole('dialog', { name: 'New sub-folder' });
    await sub.getByLabel('Folder name').fill('Databases');
    await sub.getByRole('button', { name: 'Create' }).click();
    await expect(sub).toBeHidden();

    const folders = page.getByRole('navigation', { name: 'Folders' });
    await expect(
      folders.getByRole('button', { name: 'Folder Databases', exact: true }),
    ).toBeVisible();
    // The sub-folder is drawn inside its parent's entry.
    const parentBox = await folders
      .getByRole('button', { name: 'Folder Production', exact: true })
      .boundingBox();
    const childBox = await folders
      .getByRole('button', { name: 'Folder Databases', exact: true })
      .boundingBox();
    expect(childBox && parentBox && childBox.x > parentBox.x).toBe(true);
  });

  test('creates, edits and finds a record', async () => {
    await page.getByRole('button', { name: 'Folder Databases', exact: true }).click();
    await page.getByRole('button', { name: 'New record' }).click();
    const editor = page.getByRole('form', { name: 'New login' });
    await expect(editor).toBeVisible();
    await editor.getByLabel('Title').fill('Orders DB');
    await editor.getByLabel('Username').fill('alice');
    await editor.getByLabel('Password', { exact: true }).fill('Tr0ub4dor&3-orders');
    await keepScreenshot(page, '05-new-record');
    await editor.getByRole('button', { name: 'Save' }).click();

    const list = page.getByRole('listbox', { name: 'Records' });
    await expect(list.getByRole('option', { name: /Orders DB/ })).toBeVisible();
    await expect(page.getByRole('article', { name: 'Login: Orders DB' })).toBeVisible();
    await expect(page.getByText('Tr0ub4dor&3-orders')).toHaveCount(0);
    await keepScreenshot(page, '06-record-view');

    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit Orders DB' });
    await edit.getByLabel('Username').fill('orders_admin');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(list.getByRole('option', { name: /orders_admin/ })).toBeVisible();

    await page.getByRole('button', { name: 'New record' }).click();
    const second = page.getByRole('form', { name: 'New login' });
    await second.getByLabel('Title').fill('Grafana');
    await second.getByLabel('Username').fill('bob');
    await second.getByRole('button', { name: 'Save' }).click();
    await expect(list.getByRole('option')).toHaveCount(2);

    const search = page.getByLabel('Search records');
    await search.fill('ORDERS_adm');
    await expect(list.getByRole('option')).toHaveCount(1);
    await expect(list.getByRole('option', { name: /Orders DB/ })).toBeVisible();
    await keepScreenshot(page, '07-search');
    await search.fill('no such thing');
    await expect(page.getByText('Nothing matches.')).toBeVisible();
    await search.fill('');
    await expect(list.getByRole('option')).toHaveCount(2);
  });

  test('locks on Ctrl+L, says a wrong password is wrong, and unlocks', async () => {
    await page.keyboard.press('Control+l');
    await expect(page.getByRole('heading', { name: 'Unlock your vault' })).toBeVisible();
    await expect(page.getByText('Orders DB')).toHaveCount(0);
    await keepScreenshot(page, '08-locked');

    await page.getByLabel('Master password').fill('not my password at all');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByRole('alert')).toContainText('Wrong master password');
    await expect(page.getByLabel('Master password')).toHaveValue('');

    await page.getByLabel('Master password').fill(masterPassword);
    await page.getByRole('button', { name: 'Unlock' }).click();
    const list = page.getByRole('listbox', { name: 'Records' });
    await expect(list.getByRole('option')).toHaveCount(2);
  });

  test('deletes a record, then a folder with what is inside it', async () => {
    const list = page.getByRole('listbox', { name: 'Records' });
    await list.getByRole('option', { name: /Grafana/ }).click();
    await page.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete “Grafana”?' });
    await confirm.getByRole('button', { name: 'Delete record' }).click();
    await expect(list.getByRole('option')).toHaveCount(1);

    await page.getByRole('button', { name: 'Actions for folder Production' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete folder “Production”?' });
    await expect(dialog).toContainText('This also deletes 1 sub-folder and 1 record inside it.');
    await keepScreenshot(page, '09-delete-folder');
    await dialog.getByRole('button', { name: 'Delete folder' }).click();
    await expect(page.getByText('No folders yet.')).toBeVisible();
    await expect(page.getByText('Your vault is empty.')).toBeVisible();
  });
});
